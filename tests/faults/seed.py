"""A small published knowledge base for the fault stage, faster to build than the starter
content (which takes minutes): run with ``manage.py shell -c "from tests.faults import seed;
seed.run()"`` after ``setup_site``."""

from tests.factories import (
    FindingFactory,
    ResearchQuestionFactory,
    StudyFactory,
    ThemeFactory,
    make_country,
    make_model,
)

# Addresses the fault tests (and their slugs) rely on.
COUNTRY = "fi"
MODEL = "network"
THEME = "kwaliteitsborging"
STUDY = "loopbaanbegeleiding-werkenden"


def run():
    theme = ThemeFactory(name="Kwaliteitsborging", slug=THEME)
    finland = make_country("FI", title="Finland", slug=COUNTRY)
    network = make_model(MODEL, title="Netwerk")
    for n in range(12):
        study = StudyFactory(
            title=f"Loopbaanbegeleiding voor werkenden, deel {n + 1}",
            slug=STUDY if n == 0 else f"{STUDY}-{n + 1}",
            year=2010 + n,
            themes=[theme],
            authors=["Virtanen, M."],
        )
        study.countries.set([finland])
        study.infrastructure_models.set([network])
        FindingFactory(study=study, themes=[theme])
    ResearchQuestionFactory()
