"""The web client in a real browser, as the demo's users see it: every
Cocagne menu and its first record open in French, and the network's users
work on all their gardens while a garden's team sees its own.

Set COCAGNE_SCREENSHOTS to a folder to keep a screenshot of each menu
opened.
"""
import os
import re
import time
from pathlib import Path

import polib
import pytest
import trytond

from cocagne.config import ADDONS, DATABASE

ACTIVE = '#tabcontent .tab-pane.active'
# What sao shows of a list or a form: headers, labels, tabs, cells, choices
TEXTS_JS = """pane => [...pane.querySelectorAll(
    'th, label, .nav-tabs a, td, option:checked, .form-group .btn')]
    .filter(e => e.offsetParent !== null)
    .map(e => e.innerText.trim()).filter(t => t)"""
# Header cells whose text does not fit: sao cuts them with an ellipsis
CUT_HEADERS_JS = """pane => [...pane.querySelectorAll('.treeview thead th')]
    .filter(th => th.offsetParent !== null)
    .filter(th => [th, ...th.querySelectorAll('*')].some(
        e => e.scrollWidth > e.clientWidth + 1))
    .map(th => th.innerText.trim())"""
# The footers of the columns with sum="1", line by line
SUMS_JS = """pane => [...pane.querySelectorAll('.treeview tfoot .value')]
    .filter(e => e.offsetParent !== null).map(e => e.innerText)"""


def menu_paths(client):
    "Return the paths of names, as users see them, of the Cocagne menus."
    context = {'language': 'fr'}
    root, = client('model.ir.ui.menu.search',
        [('name', '=', "Cocagne"), ('parent', '=', None)], 0, None, None,
        context)
    menus = client('model.ir.ui.menu.search_read',
        [('parent', 'child_of', [root])], 0, None, None,
        ['complete_name', 'action'], context)
    return sorted(m['complete_name'].split(' / ') for m in menus
        if m['action'])


@pytest.fixture(scope='module')
def english():
    """The English strings a French user must not see: the sources of the
    French translations of Cocagne's and Tryton's modules that are not
    also a French translation (« Distance », « Code » are both)."""
    sources, french = set(), set()
    folders = [*ADDONS.glob('*/locale'), *Path(
            trytond.__file__).parent.glob('modules/*/locale')]
    for folder in folders:
        if (folder / 'fr.po').exists():
            for entry in polib.pofile(str(folder / 'fr.po')):
                sources.add(entry.msgid)
                french.add(entry.msgstr)
    return sources - french


def selection_keys(client, model):
    "The raw keys of the selection fields of model, unlike their labels."
    fields = client(f'model.{model}.fields_get', None, {'language': 'fr'})
    return {key for f in fields.values() if f['type'] == 'selection'
        and isinstance(f.get('selection'), list)
        for key, label in f['selection'] if key and key != label}


def check_french(texts, english, keys, where):
    "Fail on the English strings or raw selection keys among texts."
    found = sorted({t for t in texts if t in english or t in keys})
    assert not found, f"{where}: English or raw keys shown: {found}"


def check_no_error(sao, where):
    dialog = sao.page.locator('.modal-dialog .alert-danger:visible')
    if dialog.count():
        pytest.fail(f"{where}: {dialog.first.inner_text()}")
    assert not sao.errors, f"{where}: {sao.errors}"


def wait_records(sao, timeout=20):
    """Wait for the list of the current tab to show its records; return
    how many the counter announces (it reads "_/N")."""
    page = sao.page
    counter = page.locator(f'{ACTIVE} .navbar-text .badge')
    rows = page.locator(f'{ACTIVE} .treeview tbody tr:visible')
    empty_since = None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        total = int(counter.first.inner_text().rsplit('/', 1)[-1] or 0)
        if total and rows.count():
            page.wait_for_load_state('networkidle')
            return total
        if not total:
            empty_since = empty_since or time.monotonic()
            if time.monotonic() - empty_since > 3:
                return 0
        else:
            empty_since = None
        page.wait_for_timeout(200)
    pytest.fail(f"the list announces {total} records but shows none")


def open_menu(sao, path):
    "Open the menu at path (names as shown) in a new tab."
    page = sao.page
    for name, child in zip(path, path[1:]):
        # sao keeps the menu's expanded state from a session to the next
        if not page.locator(
                f'#menu .column-char[title="{child}"]:visible').count():
            page.locator('#menu tr', has=page.locator(
                    f'.column-char[title="{name}"]')).first.locator(
                '.expander').click()
            page.locator(f'#menu .column-char[title="{child}"]:visible'
                ).first.wait_for()
    page.locator(f'#menu .column-char[title="{path[-1]}"]:visible'
        ).first.click()
    tab = page.locator('#tablist li.active')
    tab.wait_for()
    page.wait_for_load_state('networkidle')
    page.locator(f'{ACTIVE} .treeview, {ACTIVE} .form').first.wait_for()
    assert path[-1] in tab.inner_text(), (path, tab.inner_text())


def close_tab(sao):
    sao.page.locator('#tablist li.active .close').click()


def pane(sao):
    return sao.page.locator(ACTIVE)


def headers(sao):
    "The visible column headers of the current list."
    return [t.strip() for t in pane(sao).locator(
            '.treeview thead th:visible').all_inner_texts()]


def column(sao, header):
    "The texts of the cells, on the visible rows, under header."
    return pane(sao).evaluate("""(pane, header) => {
        const table = pane.querySelector('.treeview table');
        const index = [...table.tHead.rows[0].cells].findIndex(
            th => th.innerText.trim() === header);
        return [...table.tBodies[0].rows]
            .filter(row => row.offsetParent !== null && row.cells[index])
            .map(row => row.cells[index].innerText.trim());
        }""", header)


def sums(sao):
    "The footers of the summed columns, as lists of lines."
    return [text.split('\n') for text in pane(sao).evaluate(SUMS_JS)]


def test_open_every_menu(admin, sao, english):
    """Every Cocagne menu, and its first record, opens without a client
    error, in French, with uncut headers and bare totals"""
    paths = menu_paths(admin)
    assert len(paths) >= 8, paths
    user = sao('admin')
    page = user.page
    shots = os.environ.get('COCAGNE_SCREENSHOTS')
    problems = []
    for path in paths:
        where = ' / '.join(path)
        check_french(path, english, set(), where)
        open_menu(user, path)
        check_no_error(user, where)
        model = page.evaluate(
            "() => Sao.Tab.tabs.get_current().screen.model_name")
        keys = selection_keys(admin, model)
        if wait_records(user):
            check_french(pane(user).evaluate(TEXTS_JS), english, keys, where)
            if cut := pane(user).evaluate(CUT_HEADERS_JS):
                problems.append(f"{where}: headers cut at 1400 px: {cut}")
            for lines in sums(user):
                if len(lines) != 1:
                    problems.append(f"{where}: total shown as {lines}")
            # the form of the first record shows too
            pane(user).locator('.treeview tbody tr:visible').first.dblclick()
            pane(user).locator('.form').first.wait_for()
            page.wait_for_load_state('networkidle')
            check_no_error(user, where + " (fiche)")
            check_french(pane(user).evaluate(TEXTS_JS), english, keys,
                where + " (fiche)")
        if shots:
            Path(shots).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(shots) / (
                        '-'.join(path[1:]).replace(' ', '_') + '.png')))
        close_tab(user)
    assert not problems, '\n'.join(problems)


def _path(admin, model):
    "The menu path of the Cocagne list of model."
    context = {'language': 'fr'}
    for path in menu_paths(admin):
        menu, = admin('model.ir.ui.menu.search_read',
            [('complete_name', '=', ' / '.join(path))], 0, 1, None,
            ['action'], context)
        action = admin('model.ir.action.act_window.search_read',
            [('action', '=', int(menu['action'].split(',')[1]))],
            0, 1, None, ['res_model'], context)
        if action and action[0]['res_model'] == model:
            return path
    pytest.fail(f"no Cocagne menu lists {model}")


@pytest.mark.parametrize('login', ['admin', 'reseau'])
def test_network_sees_every_garden(admin, sao, login):
    """The network's users see the three gardens at once, with a Jardin
    column in the lists of garden-owned records"""
    user = sao(login)
    open_menu(user, _path(admin, 'company.company'))
    assert wait_records(user) == 3
    close_tab(user)
    open_menu(user, _path(admin, 'cocagne.place'))
    wait_records(user)
    assert "Jardin" in headers(user)
    assert len(set(column(user, "Jardin"))) == 3
    close_tab(user)


def test_garden_team_has_no_garden_column(admin, sao):
    "A garden's team sees no Jardin column: every record is its garden's"
    user = sao('doubs')
    open_menu(user, _path(admin, 'cocagne.place'))
    assert wait_records(user)
    assert "Jardin" not in headers(user), headers(user)
    close_tab(user)


def test_expired_certificates_of_every_garden(admin, sao):
    "The Expired tab of the certificates counts Lyon's expired certificate"
    expired = admin('model.cocagne.organic.certificate.search_read',
        [('state', '=', 'expired')], 0, None, None, ['company'], {})
    lyon, = admin('model.company.company.search',
        [('network_code', '=', 'CG-03')], 0, None, None, {})
    assert lyon in {c['company'] for c in expired}
    user = sao('admin')
    open_menu(user, _path(admin, 'cocagne.organic.certificate'))
    wait_records(user)
    tab = pane(user).locator('.nav-tabs a', has_text="Expiré")
    tab.click()
    user.page.wait_for_load_state('networkidle')
    assert wait_records(user) == len(expired)
    badge = tab.locator('.badge')
    if badge.count():
        assert badge.inner_text().strip() == str(len(expired))
    close_tab(user)


def test_hours_total_every_garden(admin, sao):
    "The hours list totals the hours of all the gardens"
    hours = admin('model.cocagne.workforce.hours.search_read',
        [('contract_kind', '=', 'insertion')], 0, None, None,
        ['hours', 'company'], {})
    assert len({h['company'] for h in hours}) == 3
    user = sao('admin')
    open_menu(user, _path(admin, 'cocagne.workforce.hours'))
    wait_records(user)
    total, = sums(user)
    shown = float(total[-1].replace('\u202f', '').replace('\xa0', '')
        .replace(' ', '').replace(',', '.'))
    assert shown == pytest.approx(sum(h['hours'] for h in hours), abs=0.01)
    close_tab(user)


def test_dates_and_prices_in_french(admin, sao):
    "Dates read 24/12/2025 and prices have two decimals"
    user = sao('doubs')
    open_menu(user, _path(admin, 'cocagne.organic.certificate'))
    wait_records(user)
    pane(user).locator('.nav-tabs a', has_text="Tous").click()
    wait_records(user)
    dates = [d for d in column(user, "Valide jusqu'au") if d]
    assert dates and all(re.fullmatch(r'\d\d/\d\d/\d{4}', d) for d in dates), (
        dates)
    close_tab(user)
    open_menu(user, _path(admin, 'product.template'))
    wait_records(user)
    prices = [p for p in column(user, "Prix de vente") if p]
    assert prices and all(
        re.fullmatch(r'[\d\u202f\xa0 ]+,\d\d( €)?', p) for p in prices), prices
    close_tab(user)


def test_other_garden_record_stays_secret(demo_url, admin, sao):
    """Opening an employee of another garden tells it belongs to another
    garden, without naming the employee"""
    lyon_employee, = admin('model.company.employee.search_read',
        [('company.network_code', '=', 'CG-03')], 0, 1, None,
        ['rec_name'], {})
    user = sao('doubs')
    page = user.page
    page.goto(f"{demo_url}/#{DATABASE}/model/company.employee/"
        f"{lyon_employee['id']}")
    dialog = page.locator('.modal-dialog:visible',
        has_text="appartient à un autre jardin du réseau")
    dialog.wait_for()
    assert lyon_employee['rec_name'] not in dialog.inner_text()
    assert "règle" not in dialog.inner_text()
    user.errors.clear()
