from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps import Sitemap as PageSitemap
from wagtail.contrib.sitemaps import views as sitemap_views
from wagtail.documents import urls as wagtaildocs_urls

from hubs import urls as hubs_urls
from hubs.sitemaps import knowledgebase_sitemaps
from knowledgebase import api as knowledgebase_api
from knowledgebase import urls as knowledgebase_urls
from search import urls as search_urls

from . import api, views

# The sitemap index (/sitemap.xml) names one sitemap per section; Wagtail's lists the pages.
SITEMAPS = {"paginas": PageSitemap, **knowledgebase_sitemaps()}

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documenten/", include(wagtaildocs_urls)),
    path("healthz", views.healthz, name="healthz"),
    path("api/", api.api_root, name="api_root"),
    path("api/v1/", api.api_root, name="api_v1_root"),
    path("api/v1/", include((api.router.get_urlpatterns(), "wagtailapi"))),
    path("api/v1/", include((knowledgebase_api.router.urls, "api"))),
    path("taal/", views.set_language, name="set_language"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path(
        "sitemap.xml",
        views.cached_sitemap(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        views.cached_sitemap(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    # The search's, the theme hubs' and gap map's and the knowledge base's pages share the
    # knowledge base's namespace ("knowledgebase:…").
    path(
        "",
        include(
            (
                search_urls.urlpatterns + hubs_urls.urlpatterns + knowledgebase_urls.urlpatterns,
                knowledgebase_urls.app_name,
            )
        ),
    ),
    path("", include("countries.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]

handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
