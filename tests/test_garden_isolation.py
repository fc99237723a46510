"""Garden isolation over the wire: the demo's garden users log in by
JSON-RPC, as the web client does, and never reach another garden's data."""
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
    "The sessions of the Doubs and Rennes teams, with their garden."
    sessions = {}
    for login in ['doubs', 'rennes']:
        client = Client(demo_url, login)
        user, = client('model.res.user.read',
            [int(client.session.split(':')[1])], ['company'], {})
        sessions[login] = client, user['company']
    return sessions


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
    with pytest.raises(RPCError):
        doubs(f'model.{model}.read', theirs, ['company'], {})
    if model != 'cocagne.workforce.hours':  # a report, read-only for all
        with pytest.raises(RPCError):
            doubs(f'model.{model}.write', theirs, {}, {})


def test_cannot_create_for_other_garden(gardens):
    "A place cannot be created in another garden's name"
    doubs, _ = gardens['doubs']
    _, rennes_company = gardens['rennes']
    with pytest.raises(RPCError):
        doubs('model.cocagne.place.create',
            [{'name': "Intrus", 'company': rennes_company}], {})
