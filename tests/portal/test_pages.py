import re

import pytest

from portal.views import server_error

pytestmark = pytest.mark.django_db


def test_home_page_is_dutch_with_landmarks(client, site_tree):
    """The home page is in Dutch, with a skip link, header, navigation, main and footer."""
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="nl">' in html
    assert 'href="#inhoud"' in html and 'id="inhoud"' in html
    for landmark in ("<header", "<nav", "<main", "<footer"):
        assert landmark in html
    for section in ("/landen/", "/kennisinfrastructuur/", "/themas/", "/onderzoek/", "/kennisagenda/"):
        assert f'href="{section}"' in html


def test_footer_pages_exist_with_real_text(client, site_tree):
    """The accessibility statement and privacy page linked from the footer are real pages."""
    home = client.get("/").content.decode()
    for path, phrase in [("/toegankelijkheid/", "WCAG 2.1"), ("/privacy/", "trackingcookies")]:
        assert f'href="{path}"' in home
        response = client.get(path)
        assert response.status_code == 200
        assert phrase in response.content.decode()


def test_public_pages_set_no_cookies_and_load_nothing_from_elsewhere(client, site_tree):
    """Public pages set no cookies and reference no third-party hosts."""
    for path in ("/", "/over/", "/toegankelijkheid/", "/privacy/"):
        response = client.get(path)
        assert not response.cookies, f"{path} set {list(response.cookies)}"
        html = response.content.decode()
        external = re.findall(r'(?:src|href)="(https?://[^"]+)"', html)
        assert external == [], f"{path} loads {external}"


def test_404_is_dutch_in_site_layout(client, site_tree):
    """An unknown address gives a Dutch 404 page inside the site layout."""
    response = client.get("/bestaat-echt-niet/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Pagina niet gevonden" in html
    assert 'id="inhoud"' in html and "<nav" in html


def test_500_page_is_dutch(rf):
    """A server error shows the Dutch error page in the site's look, not a traceback."""
    response = server_error(rf.get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Er ging iets mis" in html and '<html lang="nl">' in html


def test_security_headers_on_public_pages(client, site_tree):
    """Pages carry a content security policy, a referrer policy and no-sniff."""
    response = client.get("/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_sitemap_lists_published_pages(client, site_tree):
    """The sitemap index names the section of Wagtail's pages, which lists the published
    pages of the site."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert b"<sitemapindex" in response.content
    assert b"/sitemap-paginas.xml</loc>" in response.content
    assert b"/toegankelijkheid/</loc>" in client.get("/sitemap-paginas.xml").content


def test_robots_txt_names_the_sitemap_and_keeps_crawlers_out_of_search(client, site_tree):
    """robots.txt points crawlers to the sitemap index and away from the admin, the search,
    whose facet combinations are endless, and the API, which repeats the public pages."""
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert {"Disallow: /admin/", "Disallow: /zoeken/", "Disallow: /api/"} <= set(lines)
    assert "Allow: /" not in lines and "Disallow: /" not in lines


def test_stylesheet_is_small(settings):
    """The portal's own stylesheet stays under 20 kB (no framework, no build step)."""
    path = settings.BASE_DIR / "static" / "css" / "portal.css"
    assert path.stat().st_size < 20_000


def test_admin_login_page_renders(client, site_tree):
    """The admin login page is reachable."""
    response = client.get("/admin/login/")
    assert response.status_code == 200


def test_interface_is_dutch_whatever_the_browser_asks(client, site_tree):
    """A browser asking for English still gets the Dutch interface until English is chosen."""
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="nl">' in response.content.decode()


def test_language_switch_sets_english_and_keeps_content_marked_dutch(client, site_tree):
    """Choosing English switches the interface; the Dutch content area keeps lang="nl"."""
    response = client.post("/taal/", {"language": "en", "next": "/over/"})
    assert response.status_code == 302 and response["Location"] == "/over/"
    html = client.get("/over/").content.decode()
    assert '<html lang="en">' in html
    assert "Skip to content" in html
    assert 'id="inhoud" class="container" tabindex="-1" lang="nl"' in html
