from .base import Cited, EvidenceStrength, PublishedQuerySet
from .bottom_lines import BottomLine
from .findings import Finding
from .frameworks import Framework, FrameworkElement
from .imports import ImportJob
from .organisations import Organisation, OrganisationRelation
from .questions import ResearchQuestion, ResearchQuestionStudy
from .studies import Method, Study, StudyAuthor
from .taxonomy import Theme

__all__ = [
    "BottomLine",
    "Cited",
    "EvidenceStrength",
    "Finding",
    "Framework",
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
    "Theme",
]
