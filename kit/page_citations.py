"""Citing a page of the portal itself (an edition of a profile, a comparison snapshot): an
APA-style reference for a web page, and RIS, BibTeX and CSL-JSON records of it.

The author is the portal (an organisation), the date is the edition's publication date and
the URL is the edition's permanent address. RIS is written with rispy and BibTeX with
bibtexparser, as the study exports are (``knowledgebase/exports.py``).
"""

import datetime
import json
from dataclasses import dataclass

import bibtexparser
import rispy
from bibtexparser import model as bibtex_model
from django.conf import settings
from django.utils import formats, translation
from django.utils.html import format_html
from django.utils.translation import gettext as _

from .downloads import latex_escape, single_line


def site_name():
    return settings.WAGTAIL_SITE_NAME


@dataclass
class PageCitation:
    title: str
    kind: str  # "landenprofiel", "vergelijking": said after the title in the reference
    date: datetime.date
    url: str
    edition: int | None = None
    language: str = "nl"
    key: str = "pagina"
    download_base: str | None = None  # the citation downloads are at <base><format>/

    @property
    def full_title(self):
        return f"{self.title}: {self.kind}" if self.kind else self.title

    def apa_date(self):
        """(2026, 4 december) in Dutch; (2026, December 4) in English, as APA 7 writes it."""
        if translation.get_language() == "en":
            return formats.date_format(self.date, "Y, F j")
        return formats.date_format(self.date, "Y, j F")

    def edition_label(self):
        return _("editie %(number)s") % {"number": self.edition} if self.edition else ""

    def apa_parts(self):
        suffix = f" ({self.edition_label()})" if self.edition else ""
        return f"{site_name()}. ({self.apa_date()}). ", self.full_title, f"{suffix}. {self.url}"

    @property
    def apa_text(self):
        """The reference as plain text, to copy."""
        before, title, after = self.apa_parts()
        return before + title + after

    @property
    def apa_html(self):
        """The reference with the title in italics, as APA sets it."""
        before, title, after = self.apa_parts()
        return format_html("{}<i>{}</i>{}", before, title, after)

    @property
    def downloads(self):
        if not self.download_base:
            return []
        return [
            (self.download_base + "ris/", "RIS"),
            (self.download_base + "bibtex/", "BibTeX"),
            (self.download_base + "csl-json/", "CSL-JSON"),
        ]

    # Formats ---------------------------------------------------------------------------

    def to_ris(self):
        record = {
            "type_of_reference": "ELEC",
            "title": single_line(self.full_title),
            # An organisation: one name without a comma, which reference managers keep whole.
            "authors": [site_name()],
            "year": str(self.date.year),
            "date": self.date.strftime("%Y/%m/%d/"),
            "publisher": site_name(),
            "urls": [self.url],
            "language": self.language,
        }
        if self.edition:
            record["edition"] = str(self.edition)
        return rispy.dumps([record])

    def to_bibtex(self):
        fields = [
            bibtex_model.Field("title", "{" + latex_escape(self.full_title) + "}"),
            bibtex_model.Field("author", "{" + latex_escape(site_name()) + "}"),
            bibtex_model.Field("year", str(self.date.year)),
            bibtex_model.Field("date", self.date.isoformat()),
            bibtex_model.Field("url", self.url.replace("{", "%7B").replace("}", "%7D")),
            bibtex_model.Field("language", "dutch" if self.language == "nl" else "english"),
        ]
        if self.edition:
            fields.append(bibtex_model.Field("version", str(self.edition)))
        library = bibtexparser.Library()
        library.add(bibtex_model.Entry("online", self.key.replace("-", "_"), fields))
        return bibtexparser.write_string(library)

    def to_csl(self):
        item = {
            "id": self.key,
            "type": "webpage",
            "title": self.full_title,
            "author": [{"literal": site_name()}],
            "container-title": site_name(),
            "issued": {"date-parts": [[self.date.year, self.date.month, self.date.day]]},
            "URL": self.url,
            "language": self.language,
        }
        if self.edition:
            item["version"] = str(self.edition)
        return item

    def export(self, fmt):
        if fmt == "ris":
            return self.to_ris()
        if fmt == "bibtex":
            return self.to_bibtex()
        return json.dumps([self.to_csl()], ensure_ascii=False, indent=2)
