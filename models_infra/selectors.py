"""Reads for the infrastructure model pages. Each function returns template context."""


def model_index_context(index_page):
    return {}


def model_page_context(page):
    return {}
