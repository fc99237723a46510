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

sync_api = pytest.importorskip('playwright.sync_api')
expect, PlaywrightTimeout = sync_api.expect, sync_api.TimeoutError

ACTIVE = '#tabcontent > .tab-pane.active'
# What sao shows of a list or a form: headers, labels, tabs, cells, choices
TEXTS_JS = """pane => [...pane.querySelectorAll(
    'th, label, .nav-tabs a, td, option:checked, .form-group .btn')]
    .filter(e => e.offsetParent !== null)
    .map(e => e.innerText.trim()).filter(t => t)"""
# Header labels that do not show whole: cut by sao with an ellipsis, or
# beyond the right edge of the list (the label only: each th also holds a
# resizer handle that overhangs it)
CUT_HEADERS_JS = """pane => [...pane.querySelectorAll(
        '.treeview thead th .header label')]
    .filter(label => label.offsetParent !== null)
    .filter(label => label.scrollWidth > label.clientWidth + 1
        || label.scrollHeight > label.clientHeight + 1
        || label.getBoundingClientRect().right > label.closest(
            '.treeview').getBoundingClientRect().right + 1)
    .map(label => label.innerText.trim())"""
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


def english_shown(texts, english, keys, where):
    "The problems of the English strings or raw selection keys in texts."
    found = sorted({t for t in texts if t in english or t in keys})
    return [f"{where}: English or raw keys shown: {found}"] if found else []


def check_no_error(sao, where):
    dialog = sao.page.locator('.modal-dialog .alert-danger:visible')
    if dialog.count():
        pytest.fail(f"{where}: {dialog.first.inner_text()}")
    assert not sao.errors, f"{where}: {sao.errors}"


# The visible rows of the menu, as [title, depth]
MENU_JS = """() => [...document.querySelectorAll('#menu tbody tr')]
    .filter(row => row.offsetParent !== null)
    .map(row => [row.querySelector('.column-char').title,
        parseFloat(row.querySelector('.expander img')?.style.marginLeft)
        || 0])"""


def settle(sao):
    """Wait for the web client's pending calls to the server to end (sao
    sends them through jQuery; a page's "networkidle" state is reached
    once, at its load, and does not wait for them)."""
    sao.page.wait_for_function('() => !window.jQuery || jQuery.active === 0')


def wait_records(sao, timeout=20):
    """Wait for the list of the current tab to show its records; return
    how many the counter announces (it reads "_/N")."""
    page = sao.page
    settle(sao)
    counter = page.locator(f'{ACTIVE} .navbar-text .badge')
    rows = page.locator(f'{ACTIVE} .treeview tbody tr:visible')
    empty_since = None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        total = int(counter.first.inner_text().rsplit('/', 1)[-1] or 0)
        if total and rows.count():
            settle(sao)
            return total
        if not total:
            empty_since = empty_since or time.monotonic()
            if time.monotonic() - empty_since > 3:
                return 0
        else:
            empty_since = None
        page.wait_for_timeout(200)
    pytest.fail(f"the list announces {total} records but shows none")


def _menu_row(sao, path):
    """Return the index, among the visible menu rows, of the entry at path,
    expanding its parents (names repeat: Cocagne / Configuration /
    Configuration)."""
    page = sao.page
    rows = page.locator('#menu tbody tr:visible')
    index, depth = -1, None
    for name in path:
        menu = page.evaluate(MENU_JS)
        if index >= 0 and not (index + 1 < len(menu)
                and menu[index + 1][1] > depth):
            rows.nth(index).locator('.expander').click()
            page.wait_for_function(f"""() => {{
                const menu = ({MENU_JS})();
                return menu.length > {index + 1}
                    && menu[{index + 1}][1] > {depth}; }}""")
            menu = page.evaluate(MENU_JS)
        for i in range(index + 1, len(menu)):
            if depth is not None and menu[i][1] <= depth:
                break
            if menu[i][0] == name:
                index, depth = i, menu[i][1]
                break
        else:
            pytest.fail(f"no menu {name!r} in {path}")
    return rows.nth(index)


def open_menu(sao, path):
    "Open the menu at path (names as shown) in a new tab."
    page = sao.page
    tabs = page.locator('#tablist li')
    count = tabs.count()
    _menu_row(sao, path).locator('.column-char').click()
    expect(tabs).to_have_count(count + 1)
    page.locator(f'{ACTIVE} .treeview, {ACTIVE} .form').first.wait_for()
    settle(sao)
    tab = page.locator('#tablist li.active')
    assert path[-1] in tab.inner_text(), (path, tab.inner_text())


def open_first_record(sao):
    """Open the first record of the list in a form, in the same tab: tick
    it and switch the view (a double click edits the rows of an editable
    list in place, and a click on a link opens another tab). Return
    whether the list has a form (a report such as the hours has none, a
    list of yields has a graph instead)."""
    if not sao.page.evaluate("""() => {
            const screen = Sao.Tab.tabs.get_current().screen;
            return screen.views.map(v => v.view_type).concat(
                screen.view_to_load).includes('form'); }"""):
        return False
    tabs = sao.page.locator('#tablist li')
    count = tabs.count()
    pane(sao).locator('.treeview tbody tr:visible').first.locator(
        'td.selection-state input').check()
    pane(sao).locator('button#switch_').click()
    pane(sao).locator('.form').first.wait_for()
    settle(sao)
    expect(tabs).to_have_count(count)
    return True


def close_tab(sao):
    """Close the current tab, and wait for it to be gone. Return whether
    the web client asked to save a change first (then refused)."""
    tabs = sao.page.locator('#tablist li')
    count = tabs.count()
    sao.page.locator('#tablist li.active .close').click()
    prompt = sao.page.locator('.modal-dialog:visible', has_text="modifié")
    try:
        prompt.wait_for(timeout=1000)
    except PlaywrightTimeout:
        asked = False
    else:
        prompt.locator('button', has_text="Non").click()
        asked = True
    expect(tabs).to_have_count(count - 1)
    return asked


def select_tab(sao, name):
    "Show the filter tab called name of the current list; return its link."
    link = pane(sao).locator('.nav-tabs a', has_text=name)
    link.click()
    expect(link.locator('xpath=..')).to_have_class(re.compile(r'\bactive\b'))
    settle(sao)
    return link


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
        problems += english_shown(path, english, set(), where)
        open_menu(user, path)
        check_no_error(user, where)
        model, view_type = page.evaluate("""() => {
            const screen = Sao.Tab.tabs.get_current().screen;
            return [screen.model_name, screen.current_view.view_type]; }""")
        keys = selection_keys(admin, model)
        if view_type != 'tree':   # a singleton form, a graph
            problems += english_shown(
                pane(user).evaluate(TEXTS_JS), english, keys, where)
        elif wait_records(user):
            problems += english_shown(
                pane(user).evaluate(TEXTS_JS), english, keys, where)
            if cut := pane(user).evaluate(CUT_HEADERS_JS):
                problems.append(f"{where}: headers cut at 1400 px: {cut}")
            for lines in sums(user):
                if len(lines) != 1:
                    problems.append(f"{where}: total shown as {lines}")
            # the form of the first record shows too
            if open_first_record(user):
                check_no_error(user, where + " (fiche)")
                problems += english_shown(pane(user).evaluate(TEXTS_JS),
                    english, keys, where + " (fiche)")
        if shots:
            Path(shots).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(shots) / (
                        '-'.join(path[1:]).replace(' ', '_') + '.png')))
        if close_tab(user):
            # seen on product forms, now and then, with no change made:
            # reported, not failed, until its cause is known
            print(f"{where}: the web client asked to save on closing")
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
    tab = select_tab(user, "Expirés")
    assert wait_records(user) == len(expired)
    badge = tab.locator('.badge')
    if badge.count():
        # the count comes in a request of its own, after the records
        for _ in range(100):
            if badge.inner_text().strip():
                break
            user.page.wait_for_timeout(100)
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
    select_tab(user, "Tous")
    wait_records(user)
    dates = [d for d in column(user, "Valide jusqu'au") if d]
    assert dates and all(re.fullmatch(r'\d\d/\d\d/\d{4}', d) for d in dates), (
        dates)
    close_tab(user)
    open_menu(user, _path(admin, 'product.template'))
    wait_records(user)
    prices = [p for p in column(user, "Prix listé") if p]   # Tryton's label
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
    user.page.goto(f"{demo_url}/#{DATABASE}/model/company.employee/"
        f"{lyon_employee['id']}")
    message = dialog_close(user, "appartient à un autre jardin du réseau")
    assert lyon_employee['rec_name'] not in message
    assert "règle" not in message
    user.errors.clear()


def stored(read, expected, timeout=20):
    """What read() returns once it equals expected, or its last answer
    after timeout seconds (for what the web client saves in the
    background)."""
    deadline = time.monotonic() + timeout
    while (value := read()) != expected and time.monotonic() < deadline:
        time.sleep(0.2)
    return value


def open_record(sao, demo_url, model, record_id):
    "Open the form of a record from its address, as a notification does."
    tabs = sao.page.locator('#tablist li')
    count = tabs.count()
    sao.page.goto(f"{demo_url}/#{DATABASE}/model/{model}/{record_id}")
    expect(tabs).to_have_count(count + 1)
    pane(sao).locator('.form').first.wait_for()
    settle(sao)


def field(sao, name):
    "The input of the field called name in the current form."
    return pane(sao).locator(f'.form [name="{name}"]:visible').first


def labels(sao):
    "The texts of the visible labels of the current form."
    return [t.strip().rstrip(':').strip() for t in pane(sao).locator(
            '.form label:visible').all_inner_texts()]


def dialog_close(sao, text):
    "Wait for the dialog holding text, return its text and close it."
    dialog = sao.page.locator('.modal-dialog:visible', has_text=text)
    dialog.wait_for()
    message = dialog.inner_text()
    dialog.locator('.modal-footer button').last.click()
    expect(dialog).to_have_count(0)
    return message


def test_place_geocode_offline(demo_url, admin, sao):
    """The "Localiser" button of a place says in French that the
    geocoding service does not answer, and changes nothing (no network
    here: the error is what a user sees offline)"""
    place, = admin('model.cocagne.place.search_read',
        [('company.network_code', '=', 'CG-01'), ('city', '!=', None),
            ('latitude', '!=', None)], 0, 1, None, ['latitude'], {})
    user = sao('doubs')
    open_record(user, demo_url, 'cocagne.place', place['id'])
    expect(field(user, 'latitude')).to_have_value(re.compile(r'\d'))
    latitude = field(user, 'latitude').input_value()
    pane(user).locator('button[name="geocode"]').click()
    message = dialog_close(user, "ne répond pas")
    assert "la latitude et la longitude à la main" in message, message
    assert field(user, 'latitude').input_value() == latitude
    user.errors.clear()   # the refused button is no client error
    close_tab(user)


def test_place_latitude_decimal_comma(demo_url, admin, sao):
    "A latitude typed with a decimal comma, « 47,25 », is stored as 47.25"
    place, = admin('model.cocagne.place.search_read',
        [('company.network_code', '=', 'CG-01')], 0, 1, None,
        ['latitude'], {})
    user = sao('doubs')
    open_record(user, demo_url, 'cocagne.place', place['id'])
    try:
        # sao shows a text input and swaps in a number input once focused
        # (after a timeout): type only when the number input has the focus
        field(user, 'latitude').click()
        user.page.wait_for_function(
            "() => document.activeElement.type === 'number'")
        keyboard = user.page.keyboard
        keyboard.press('Control+a')
        keyboard.type("47,25")
        keyboard.press('Tab')
        pane(user).locator('button#save').click()
        # the save is sent after the click returns, and later still on a
        # loaded machine: wait for it rather than read once
        latitude = stored(lambda: admin('model.cocagne.place.read',
                [place['id']], ['latitude'], {})[0]['latitude'],
            pytest.approx(47.25))
        settle(user)
        check_no_error(user, "Lieu")
        assert latitude == pytest.approx(47.25)
    finally:
        admin('model.cocagne.place.write', [place['id']],
            {'latitude': place['latitude']}, {})
    close_tab(user)


def test_sites_speak_of_shops(admin, sao):
    """The Sites list and form show what a coordinator needs, without
    stock internals, and call a shop « Boutique », never « Magasin »"""
    user = sao('doubs')
    open_menu(user, _path(admin, 'stock.location'))
    assert wait_records(user)
    assert [h for h in headers(user) if h][0] == "Nom", headers(user)
    assert pane(user).locator('.nav-tabs a', has_text="Boutiques").count()
    assert "Magasin" not in pane(user).inner_text()
    assert open_first_record(user)
    shown = labels(user)
    for label in ["Nom", "Code", "Jardin", "Type de site", "Adresse"]:
        assert label in shown, shown
    for label in ["Enfants à plat", "Entrée"]:
        assert label not in shown, shown
    assert "Magasin" not in pane(user).inner_text()
    close_tab(user)


MONTHS = ("Janvier|Février|Mars|Avril|Mai|Juin|Juillet|Août|Septembre"
    "|Octobre|Novembre|Décembre")


def test_hours_chart_in_french(admin, sao):
    """Heures par mois: the period above, a legend of the activities and
    French months on the x-axis"""
    user = sao('admin')
    open_menu(user, _path(admin, 'cocagne.workforce.hours.month'))
    shown = labels(user)
    for label in ["Date de début", "Date de fin", "Contrat"]:
        assert label in shown, shown
    chart = pane(user).locator('.graph svg').first
    chart.locator('.bb-legend-item').first.wait_for()
    legend = chart.locator('.bb-legend-item').all_text_contents()
    assert "Maraîchage" in legend, legend
    ticks = [t for t in chart.locator('.bb-axis-x .tick').all_text_contents()
        if t.strip()]
    assert ticks and all(re.fullmatch(rf'({MONTHS}) \d{{4}}', t.strip())
        for t in ticks), ticks
    close_tab(user)


def test_certificate_form(admin, sao):
    """A certificate's control body is chosen among the approved ones
    (FR-BIO-NN); its internal fields are not shown"""
    user = sao('doubs')
    open_menu(user, _path(admin, 'cocagne.organic.certificate'))
    select_tab(user, "Tous")
    assert wait_records(user)
    assert open_first_record(user)
    assert re.match(r'FR-BIO-\d\d ', field(user, 'certifier').input_value())
    assert "État signalé" not in labels(user)
    assert "État signalé" not in pane(user).inner_text()
    close_tab(user)


def test_organic_warns_at_once(demo_url, admin, sao):
    """Ticking Bio on the product of a producer without a valid
    certificate warns at once, before saving"""
    products = admin('model.product.template.search_read',
        [('origin', '=', 'partner'), ('organic', '=', False),
            ('company.network_code', '=', 'CG-03')],
        0, None, None, ['producer', 'rec_name'], {})
    certified = admin('model.party.party.search',
        [('organic_certificates.state', 'in', ['valid', 'expiring'])],
        0, None, None, {})
    product = next(p for p in products if p['producer'] not in certified)
    user = sao('lyon')
    open_record(user, demo_url, 'product.template', product['id'])
    pane(user).locator('.form .nav-tabs a',
        has_text="Origine et composition").click()
    field(user, 'organic').check()
    warning = pane(user).locator('.infobar .alert-warning')
    expect(warning).to_contain_text(product['rec_name'])
    expect(warning).to_contain_text("bio")
    read, = admin('model.product.template.read', [product['id']],
        ['organic'], {})
    assert not read['organic']   # nothing saved
    # leave without saving
    user.page.locator('#tablist li.active .close').click()
    dialog = user.page.locator('.modal-dialog:visible',
        has_text="modifié")
    dialog.locator('button', has_text="Non").click()
    expect(user.page.locator('#tablist li', has_text="Produit")).to_have_count(0)


def test_employee_screens(admin, sao):
    "The employee list is headed Nom; the form says Nom and Jardin"
    user = sao('doubs')
    open_menu(user, _path(admin, 'company.employee'))
    assert wait_records(user)
    assert [h for h in headers(user) if h][0] == "Nom", headers(user)
    assert open_first_record(user)
    shown = labels(user)
    assert "Nom" in shown and "Jardin" in shown, shown
    assert "Société" not in shown, shown
    close_tab(user)
