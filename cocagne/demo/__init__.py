"""Demo data of Cocagne: a small network of three gardens.

`load(database, config_file, progress)` fills a database where the Cocagne
modules are activated, French loaded and the configuration wizards closed
(`cocagne demo` and `cocagne init` do that first). Dates are relative to the day of
loading. It is idempotent: each step skips what is already there, and a
complete demo is left untouched. Logins (password cocagne-demo): admin and
reseau, the network's users, see every garden at once; doubs, rennes and
lyon each see their own garden only.
"""
from proteus import Model, config

from . import (
    bio_shop, caisse, catering, grants, network, places, producers, products,
    sites, tournees, transformation, workforce)
from .common import activated, company_context

__all__ = ['load']


def loaded():
    """Whether the demo is completely loaded: every garden has insertion
    employees (counted without the record rules), with
    cocagne_transformation the kitchen has its plan, with cocagne_caisse
    the shop's till its tickets, and with cocagne_bio_shop the online shop
    its recurring cycle (the last step)."""
    Company = Model.get('company.company')
    codes = [g[1] for g in network.GARDENS]
    companies = Company.find([('network_code', 'in', codes)])
    return (len(companies) == len(codes)
        and all(c.insertion_employee_count for c in companies)
        and (not activated('cocagne_transformation')
            or catering.loaded())
        and (not activated('cocagne_caisse') or caisse.loaded())
        and (not activated('cocagne_bio_shop') or bio_shop.loaded()))


def load(database, config_file, progress=print):
    """Load the demo into database (trytond configuration config_file),
    reporting each step through progress(message)."""
    config.set_trytond(database, config_file=config_file)
    if loaded():
        progress("Démo déjà chargée : rien à faire")
        return

    progress("Jardins, plans comptables et exercices…")
    gardens = network.load_gardens()
    network.allow_admin(gardens, 'all')
    for company in gardens.values():
        with company_context(company):
            network.load_chart(company)
    account_categories = network.load_account_categories(gardens)
    network.load_users(gardens)
    network.load_network_user(gardens)

    progress("Sites (entrepôts)…")
    sites.load_sites(gardens)
    progress("Lieux (points de dépôt, places de village)…")
    places.load_places(gardens)
    progress("Fermes partenaires et certificats bio…")
    farms = producers.load_producers(gardens)
    progress("Produits…")
    products.load_products(gardens, farms, account_categories)
    progress("Salariés, contrats et feuilles de temps…")
    workforce.load_workforce(gardens)
    progress("Alertes des certificats bio…")
    producers.report_lapses(gardens)
    if activated('cocagne_subventions'):
        progress("Subventions, dépenses affectées et versements…")
        grants.load(gardens)
    if activated('cocagne_transformation'):
        progress("Recettes, fabrications et lots…")
        transformation.load_transformation(gardens)
    if activated('cocagne_tournees'):
        progress("Tournées, ventes aux arrêts et pertes…")
        tournees.load_tournees(gardens)
    if activated('cocagne_transformation'):
        progress("Restaurant et traiteur des Tables de Cocagne…")
        catering.load_catering(gardens)
    if activated('cocagne_caisse'):
        progress("Caisse de la boutique de Thorigné…")
        caisse.load_caisse(gardens)
    if activated('cocagne_bio_shop'):
        progress("Cocagne Bio : cycles de commande, commandes et paniers…")
        bio_shop.load_bio_shop(gardens, farms)
    progress("Démo chargée")
