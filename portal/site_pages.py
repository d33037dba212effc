"""Texts of the generic pages that ``setup_site`` creates once; editors own them afterwards."""

ABOUT = {
    "slug": "over",
    "title": "Over dit portaal",
    "intro": (
        "Dit kennisportaal brengt samen wat bekend is over loopbaanbegeleiding in andere Europese "
        "landen, de onderzoeken waarop die kennis rust en de vragen die nog open liggen."
    ),
    "body": (
        "<h2>Voor wie</h2>"
        "<p>Het portaal is gemaakt voor drie groepen. Onderzoekers vergelijken landen sectie voor "
        "sectie en dimensie voor dimensie, met Nederland als referentie. Medewerkers van "
        "expertisecentra publiceren landenprofielen, onderzoeken, bevindingen en onderzoeksvragen. "
        "Beleidsmakers zoeken per thema naar bewijs, met de kracht van dat bewijs erbij.</p>"
        "<h2>Waar de inhoud vandaan komt</h2>"
        "<p>De startinhoud is in eigen woorden samengevat uit vijf brondocumenten over "
        "loopbaanondersteuning, waaronder twee Euroguidance-publicaties, een Nederlandse "
        "samenvatting van een OECD-review en een samenvatting van een ELGPN-publicatie over de "
        "bewijsbasis. Elke uitspraak verwijst naar het brondocument en de plaats daarin.</p>"
        "<h2>Hoe de inhoud wordt beheerd</h2>"
        "<p>Redacteuren stellen teksten op en dienen ze in; de hoofdredactie keurt ze goed voordat "
        "ze openbaar worden. Elk landenprofiel vermeldt wanneer het voor het laatst is "
        "gecontroleerd.</p>"
    ),
}

ACCESSIBILITY = {
    "slug": "toegankelijkheid",
    "title": "Toegankelijkheidsverklaring",
    "intro": (
        "Iedereen moet dit portaal kunnen gebruiken, ook met een schermlezer, alleen het "
        "toetsenbord of een vergroting van 400 procent."
    ),
    "body": (
        "<h2>Welke norm</h2>"
        "<p>Het portaal is gebouwd om te voldoen aan de Web Content Accessibility Guidelines, "
        "WCAG 2.1, op niveau AA: de norm die ook voor Nederlandse overheidswebsites geldt.</p>"
        "<h2>Hoe dat wordt bewaakt</h2>"
        "<ul><li>Elke openbare pagina werkt zonder JavaScript.</li>"
        "<li>Bij elke wijziging controleren geautomatiseerde tests de belangrijkste pagina's met "
        "axe-core en de HTML-validator van het W3C.</li>"
        "<li>Kaarten en diagrammen hebben altijd een tabel of lijst met dezelfde informatie.</li>"
        "<li>Vergelijkingstabellen hebben koppen en een bijschrift voor schermlezers.</li></ul>"
        "<h2>Bekende beperkingen</h2>"
        "<p>Documenten (pdf) van derden die bij een onderzoek horen, zijn niet altijd "
        "toegankelijk. Neem contact op als u een document in een andere vorm nodig heeft.</p>"
        "<h2>Contact</h2>"
        "<p>Loopt u ergens tegenaan? Meld het bij de redactie van het portaal; u krijgt binnen "
        "vijf werkdagen antwoord.</p>"
    ),
}

PRIVACY = {
    "slug": "privacy",
    "title": "Privacyverklaring",
    "intro": "Dit portaal volgt bezoekers niet en deelt geen gegevens met derden.",
    "body": (
        "<h2>Wat wij niet doen</h2>"
        "<ul><li>Geen trackingcookies, geen advertenties en geen analysediensten van derden.</li>"
        "<li>Geen lettertypen, scripts of kaarten van externe servers: elke pagina wordt volledig "
        "vanaf dit portaal geladen.</li></ul>"
        "<h2>Wat wij wel opslaan</h2>"
        "<ul><li>Kiest u een andere taal, dan onthoudt een functionele cookie die keuze.</li>"
        "<li>Redacteuren die inloggen krijgen een sessiecookie; hun naam en e-mailadres worden "
        "alleen gebruikt om wijzigingen en de redactionele workflow te beheren.</li>"
        "<li>De webserver houdt voor beveiliging en foutopsporing technische logbestanden bij, "
        "die na korte tijd worden verwijderd.</li></ul>"
        "<h2>Uw rechten</h2>"
        "<p>U kunt de redactie vragen welke gegevens over u zijn vastgelegd en die laten "
        "corrigeren of verwijderen.</p>"
    ),
}

GENERIC_PAGES = [ABOUT, ACCESSIBILITY, PRIVACY]
