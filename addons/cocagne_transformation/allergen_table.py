"""The allergen table of a menu: the 14 allergens of Annex II of
Regulation (EU) 1169/2011 against its dishes, to post where the food is
served (décret 2015-447 for non-prepacked food)."""
from trytond.modules.cocagne_base.allergen import ALLERGENS
from trytond.report import Report

TITLE = "Allergènes présents dans nos plats"
NOTICE = ("Informations sur les 14 allergènes majeurs (règlement (UE) "
    "n° 1169/2011, annexe II ; décret n° 2015-447), établies d'après nos "
    "recettes, préparations de base comprises. Un doute ? "
    "Demandez-nous la recette.")
MARK = "●"
# the allergens in the words of the French version of Annex II, and the
# courses: the table is posted for the guests of a French restaurant
ALLERGEN_NAMES = {
    'gluten': "Céréales contenant du gluten",
    'crustaceans': "Crustacés",
    'eggs': "Œufs",
    'fish': "Poissons",
    'peanuts': "Arachides",
    'soybeans': "Soja",
    'milk': "Lait",
    'nuts': "Fruits à coque",
    'celery': "Céleri",
    'mustard': "Moutarde",
    'sesame': "Graines de sésame",
    'sulphites': "Anhydride sulfureux et sulfites",
    'lupin': "Lupin",
    'molluscs': "Mollusques",
    }
COURSE_NAMES = {
    'appetizer': "Mise en bouche",
    'starter': "Entrée",
    'main': "Plat",
    'side': "Accompagnement",
    'cheese': "Fromage",
    'dessert': "Dessert",
    }
# a cell without a mark: a no-break space, so that Genshi closes it in HTML
BLANK = "\u00a0"


class AllergenTable(Report):
    __name__ = 'cocagne.catering.menu.allergen_table'

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        names = ALLERGEN_NAMES
        codes = [code for code, _ in ALLERGENS]
        context['title'] = TITLE
        context['notice'] = NOTICE
        context['mark'] = MARK
        context['allergens'] = [(code, names[code]) for code in codes]
        context['tables'] = [cls.table(menu, codes, names)
            for menu in records]
        return context

    @classmethod
    def table(cls, menu, codes, names):
        "The rows of menu: course, dish, a mark per allergen, their names."
        rows = []
        for course, dish, allergens in menu.allergen_rows():
            rows.append({
                    'course': COURSE_NAMES[course],
                    'dish': dish,
                    'marks': [MARK if c in allergens else BLANK
                        for c in codes],
                    'contains': ", ".join(
                        names[c] for c in codes if c in allergens),
                    })
        return {'menu': menu.rec_name, 'garden': menu.company.rec_name,
            'rows': rows}
