"""Reads for the country pages. Each function returns template context."""


def country_index_context(index_page):
    return {}


def country_page_context(page):
    return {}
