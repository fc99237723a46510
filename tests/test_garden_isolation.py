"""Garden isolation over the wire: the demo's garden users log in by
JSON-RPC, as the web client does, and never reach another garden's data."""
import uuid

import pytest

from conftest import Client, RPCError

# model: whether records without garden are shared by the network
MODELS = {
    'cocagne.place': False,
    'cocagne.organic.certificate': False,
    'cocagne.employee.contract': False,
    'cocagne.workforce.hours': False,
    'company.employee': False,
    'timesheet.line': False,
    'party.party': True,
    'product.template': True,
    'stock.location': True,
    }


@pytest.fixture(scope='module')
def gardens(demo_url, admin):
    "The sessions of the Doubs, Rennes and Lyon teams, with their garden."
    sessions = {}
    for login in ['doubs', 'rennes', 'lyon']:
        client = Client(demo_url, login)
        user, = client('model.res.user.read',
            [int(client.session.split(':')[1])], ['company'], {})
        sessions[login] = client, user['company']
    return sessions


def access_error(info, *texts):
    """Check that the RPCError of info is an access error (a UserError
    whose message holds one of texts), not any error."""
    kind, (message, *_) = info.value.args[0]
    assert kind == 'UserError', info.value.args
    assert any(t in message for t in texts), message


def _garden_name(client, company):
    garden, = client('model.company.company.read', [company],
        ['rec_name'], {})
    return garden['rec_name']


def _records(client, model):
    return client(f'model.{model}.search_read', [], 0, None, None,
        ['company'], {})


@pytest.mark.parametrize('model', sorted(MODELS))
def test_sees_only_its_garden(gardens, model):
    "A garden's team lists its own records, and shared ones, nothing else"
    for client, company in gardens.values():
        records = _records(client, model)
        assert records, (client.login, model)
        allowed = {company, None} if MODELS[model] else {company}
        assert {r['company'] for r in records} <= allowed, (
            client.login, model)


@pytest.mark.parametrize('model', sorted(MODELS))
def test_cannot_read_or_write_other_garden(gardens, model):
    "Another garden's records can neither be read nor written"
    doubs, _ = gardens['doubs']
    rennes, rennes_company = gardens['rennes']
    theirs = [r['id'] for r in _records(rennes, model)
        if r['company'] == rennes_company][:5]
    assert theirs, model
    garden = _garden_name(rennes, rennes_company)
    with pytest.raises(RPCError) as info:
        doubs(f'model.{model}.read', theirs, ['company'], {})
    access_error(info, garden)
    if model != 'cocagne.workforce.hours':  # a report, read-only for all
        with pytest.raises(RPCError) as info:
            doubs(f'model.{model}.write', theirs, {}, {})
        access_error(info, garden)


def test_cannot_create_for_other_garden(gardens):
    "A place cannot be created in another garden's name"
    doubs, _ = gardens['doubs']
    rennes, rennes_company = gardens['rennes']
    with pytest.raises(RPCError) as info:
        doubs('model.cocagne.place.create',
            [{'name': "Intrus", 'company': rennes_company}], {})
    # the create rule of the places (ir.msg_create_rule_error)
    access_error(info, "Vous n'êtes pas autorisé à créer",
        _garden_name(rennes, rennes_company))


def test_employee_party_stays_in_its_garden(gardens):
    "A person created from the employee form is invisible to other gardens"
    doubs, doubs_company = gardens['doubs']
    rennes, _ = gardens['rennes']
    context = {'company': doubs_company}   # the employee form's context
    name = f"Salariée en insertion {uuid.uuid4().hex[:8]}"
    party, = doubs('model.party.party.create', [{'name': name}], context)
    employee, = doubs('model.company.employee.create',
        [{'party': party, 'company': doubs_company}], context)
    try:
        read, = doubs('model.party.party.read', [party], ['company'], {})
        assert read['company'] == doubs_company
        assert rennes('model.party.party.search',
            [('name', '=', name)], 0, None, None, {}) == []
        assert rennes('model.company.employee.search',
            [('party.name', '=', name)], 0, None, None, {}) == []
        with pytest.raises(RPCError) as info:
            rennes('model.party.party.read', [party], ['name'], {})
        access_error(info, _garden_name(doubs, doubs_company))
        assert name not in str(info.value.args)
    finally:
        doubs('model.company.employee.delete', [employee], {})
        doubs('model.party.party.delete', [party], {})


# the garden-owned records of cocagne_transformation, which the demo gives
# to the Lyon garden only
PROCESSING = ['production.bom', 'production', 'cocagne.harvest',
    'cocagne.cold_room.reading', 'cocagne.transformation.toll']
# and those of its Tables de Cocagne restaurant
CATERING = ['cocagne.catering.menu', 'cocagne.catering.service',
    'cocagne.catering.plan', 'cocagne.harvest.forecast']


def assert_module_isolated(admin, module, owner, model):
    """Check that the records of model that the demo gives to the garden of
    owner (a demo login) are invisible to the Doubs team, and that reading
    them names the garden; skip when module is not activated."""
    if not admin('model.ir.module.search', [
                ('name', '=', module),
                ('state', '=', 'activated')], 0, None, None, {}):
        pytest.skip(f"{module} is not activated in the demo")
    demo_url = admin.url
    theirs_client, doubs = Client(demo_url, owner), Client(demo_url, 'doubs')
    company = theirs_client('model.res.user.read',
        [int(theirs_client.session.split(':')[1])], ['company'],
        {})[0]['company']
    theirs = [r['id'] for r in _records(theirs_client, model)
        if r['company'] == company]
    assert theirs, model
    assert not {r['id'] for r in _records(doubs, model)} & set(theirs)
    with pytest.raises(RPCError) as info:
        doubs(f'model.{model}.read', theirs[:5], ['company'], {})
    access_error(info, _garden_name(theirs_client, company))


@pytest.mark.parametrize('model', PROCESSING)
def test_processing_stays_in_its_garden(admin, model):
    """Lyon's recipes, batches, harvests, cold-room readings and toll
    processing jobs are invisible to the Doubs team"""
    assert_module_isolated(admin, 'cocagne_transformation', 'lyon', model)


@pytest.mark.parametrize('model', CATERING)
def test_catering_stays_in_its_garden(admin, model):
    """Lyon's menus, restaurant services, kitchen plans and harvest
    forecasts are invisible to the Doubs team"""
    assert_module_isolated(admin, 'cocagne_transformation', 'lyon', model)


def test_catering_demo(gardens):
    """The Lyon restaurant has four weeks of menus and services, three
    catering events (one for a commune, without deposit) and next week's
    plan; its menu's allergen table is printed"""
    lyon, _ = gardens['lyon']
    menus = lyon('model.cocagne.catering.menu.search_read',
        [('kind', '=', 'restaurant')], 0, None, None, ['date'], {})
    # a date comes over JSON-RPC as {'__class__': 'date', 'year': …}
    assert len({(m['date']['year'], m['date']['month'], m['date']['day'])
                for m in menus}) >= 15
    services = lyon('model.cocagne.catering.service.search_read', [],
        0, None, None, ['served_covers', 'takings'], {})
    assert len([s for s in services if s['served_covers']]) >= 5
    events = lyon('model.sale.sale.search_read',
        [('catering_menu', '!=', None)], 0, None, None,
        ['covers', 'state', 'advance_payment_term', 'party.rec_name'], {})
    assert len(events) == 3
    commune, = [e for e in events
        if e['party.']['rec_name'].startswith("Commune")]
    assert commune['advance_payment_term'] is None
    assert {e['state'] for e in events} >= {'quotation', 'processing'}
    plans = lyon('model.cocagne.catering.plan.search_read', [],
        0, None, None, ['recipes', 'ingredients'], {})
    assert plans and plans[0]['recipes'] and plans[0]['ingredients']


# the garden-owned records of cocagne_tournees, which the demo gives to the
# Rennes garden only
ROUNDS = ['cocagne.round', 'cocagne.round.run', 'sale.point']


@pytest.mark.parametrize('model', ROUNDS)
def test_rounds_stay_in_their_garden(admin, model):
    """Rennes's rounds, runs and van till are invisible to the Doubs
    team"""
    assert_module_isolated(admin, 'cocagne_tournees', 'rennes', model)


def test_rounds_demo(gardens):
    """The Rennes demo has its four rounds of 8 to 15 stops, one of each
    kind, and six weeks of runs: the grocery runs sold, the reconciled
    ones posted their losses"""
    rennes, _ = gardens['rennes']
    rounds = rennes('model.cocagne.round.search_read', [], 0, None, None,
        ['kind', 'stops', 'runs'], {})
    assert sorted(r['kind'] for r in rounds) == [
        'basket', 'collection', 'delivery', 'grocery']
    assert all(8 <= len(r['stops']) <= 15 for r in rounds)
    assert all(len(r['runs']) >= 6 for r in rounds)
    runs = rennes('model.cocagne.round.run.search_read',
        [('round.kind', '=', 'grocery'), ('state', 'in', ['done',
                    'reconciled'])], 0, None, None, ['revenue', 'state'], {})
    assert len(runs) >= 5
    # a Decimal comes over JSON-RPC as {'__class__': 'Decimal', ...}
    assert all(float(r['revenue']['decimal']) > 0 for r in runs)
    assert 'done' in {r['state'] for r in runs}
    losses = rennes('model.stock.move.search', [
            ('to_location.type', '=', 'lost_found'),
            ('origin', 'like', 'cocagne.round.run.line,%')],
        0, None, None, {})
    assert losses


# the records of the shop's till that the demo gives to the Rennes garden
TILLS = ['sale.point.sale', 'sale.point.cash.transfer']


@pytest.mark.parametrize('model', TILLS)
def test_tills_stay_in_their_garden(admin, model):
    """Rennes's tickets and the cash transfers of its tills (the gaps of the
    counts) are invisible to the Doubs team"""
    assert_module_isolated(admin, 'cocagne_caisse', 'rennes', model)


# the records of Cocagne Bio that the demo gives to the Rennes garden
BIO_SHOP = ['web.shop', 'cocagne.order_cycle', 'cocagne.order_cycle.offer',
    'cocagne.order_cycle.pickup', 'cocagne.order_cycle.settlement',
    'cocagne.basket.subscription', 'cocagne.basket.solidarity_gap']


@pytest.mark.parametrize('model', BIO_SHOP)
def test_bio_shop_stays_in_its_garden(admin, model):
    """Rennes's shop, order cycles with their offers and pickup places, the
    producers' settlements, the basket subscriptions and the solidarity
    gaps are invisible to the Doubs team"""
    assert_module_isolated(admin, 'cocagne_bio_shop', 'rennes', model)
