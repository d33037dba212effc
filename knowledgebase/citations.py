"""The studies a page cites: read from the raw data of the citation blocks (``blocks.py``)
that country profiles and model pages use, so collecting a page's sources costs no query
per block."""

from .models import Study


def _list_items(raw_list):
    """The values of a ListBlock's raw data, in either of Wagtail's two storage formats."""
    for item in raw_list or []:
        if isinstance(item, dict) and item.get("type") == "item" and "value" in item and "id" in item:
            yield item["value"]
        else:
            yield item


def stream_study_ids(*stream_values):
    """Ids of the studies cited in cited-paragraph or cited-point StreamFields.

    Reads the raw JSON so that collecting the page's sources costs no query.
    """
    ids = set()
    for stream_value in stream_values:
        if not stream_value:
            continue
        for block in stream_value.raw_data:
            value = block.get("value") if isinstance(block, dict) else None
            if not isinstance(value, dict):
                continue
            for source in _list_items(value.get("sources")):
                if isinstance(source, dict) and source.get("study"):
                    ids.add(source["study"])
    return ids


def public_studies(study_ids):
    """The published studies among ``study_ids``, with authors, in citation order.

    A draft study is left out entirely, so its title is never named on a public page.
    """
    study_ids = {pk for pk in study_ids if pk}
    if not study_ids:
        return []
    studies = list(Study.objects.published().filter(pk__in=study_ids).prefetch_related("authors"))
    return sorted(studies, key=_citation_sort_key)


def _citation_sort_key(study):
    names = study.author_names
    first = names[0] if names else (study.publisher or study.title)
    return (first.casefold(), -(study.year or 0), study.title.casefold())


def _item_values(raw_list):
    """Like ``_list_items``, but a list item without an id is read as an item too (as the
    comparison of sections always read them)."""
    for item in raw_list or []:
        if isinstance(item, dict) and item.get("type") == "item" and "value" in item:
            yield item["value"]
        else:
            yield item


def cited_blocks(stream_value):
    """(text, is_rich_text, [(study_id, locator)]) for each block of a cited StreamField."""
    for block in stream_value.raw_data if stream_value else []:
        value = block.get("value") if isinstance(block, dict) else None
        if not isinstance(value, dict):
            continue
        sources = [
            (source.get("study"), source.get("locator", ""))
            for source in _item_values(value.get("sources"))
            if isinstance(source, dict)
        ]
        yield value.get("text", ""), block.get("type") == "paragraph", sources
