"""Country and region codes (ISO 3166-1, with ISO 3166-2 subdivisions where a region has
its own guidance system, such as Flanders and Scotland)."""

COUNTRY_NAMES = {
    "NL": "Nederland",
    "BE-VLG": "België (Vlaanderen)",
    "FI": "Finland",
    "NO": "Noorwegen",
    "GB-SCT": "Schotland",
    "IE": "Ierland",
    "GB-ENG": "Engeland",
    "GB-WLS": "Wales",
    "GB-NIR": "Noord-Ierland",
    "SE": "Zweden",
    "DK": "Denemarken",
    "IS": "IJsland",
    "DE": "Duitsland",
    "AT": "Oostenrijk",
    "FR": "Frankrijk",
    "EE": "Estland",
    "EU": "Europese Unie",
}

COUNTRY_CHOICES = list(COUNTRY_NAMES.items())
