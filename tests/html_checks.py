"""Checks on rendered HTML shared by the page tests."""

import itertools
import re


def assert_heading_outline(html, url):
    """One h1 first, and no heading level skipped after it."""
    levels = [int(level) for level in re.findall(r"<h([1-6])[\s>]", html)]
    assert levels[0] == 1, (url, levels)
    assert levels.count(1) == 1, (url, levels)
    for previous, current in itertools.pairwise(levels):
        assert current <= previous + 1, (url, levels)
