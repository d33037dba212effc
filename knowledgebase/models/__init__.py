from .base import Cited, EvidenceStrength, PublishedQuerySet
from .bottom_lines import BottomLine
from .findings import Finding
from .frameworks import Assessment, Framework, FrameworkAssessment, FrameworkElement
from .imports import ImportJob
from .organisations import Organisation, OrganisationRelation
from .questions import ResearchQuestion, ResearchQuestionStudy
from .studies import Method, Study, StudyAuthor
from .tallies import Tally, TallySource
from .taxonomy import Theme

__all__ = [
    "Assessment",
    "BottomLine",
    "Cited",
    "EvidenceStrength",
    "Finding",
    "Framework",
    "FrameworkAssessment",
    "FrameworkElement",
    "ImportJob",
    "Method",
    "Organisation",
    "OrganisationRelation",
    "PublishedQuerySet",
    "ResearchQuestion",
    "ResearchQuestionStudy",
    "Study",
    "StudyAuthor",
    "Tally",
    "TallySource",
    "Theme",
]
