"""The 14 allergens of Annex II of Regulation (EU) 1169/2011 (INCO)."""

ALLERGENS = [
    ('gluten', "Cereals containing gluten"),
    ('crustaceans', "Crustaceans"),
    ('eggs', "Eggs"),
    ('fish', "Fish"),
    ('peanuts', "Peanuts"),
    ('soybeans', "Soybeans"),
    ('milk', "Milk"),
    ('nuts', "Nuts"),
    ('celery', "Celery"),
    ('mustard', "Mustard"),
    ('sesame', "Sesame seeds"),
    ('sulphites', "Sulphur dioxide and sulphites"),
    ('lupin', "Lupin"),
    ('molluscs', "Molluscs"),
    ]
