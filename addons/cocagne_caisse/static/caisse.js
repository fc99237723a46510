/* Cocagne cashier screen ("caisse"): rings up sales at a shop counter or in
 * a grocery van, on a touch tablet, with or without network.
 *
 * The server is reached through the HTTP contract of ../API.md. A validated
 * sale goes into a queue kept in localStorage before it is sent, so a
 * network cut loses nothing; it keeps its idempotency key, so sending it
 * again never records it twice. The sale in progress and the catalogue are
 * kept in localStorage too: a reload or a night without network changes
 * nothing for the cashier. */
'use strict';

(function () {
  const EAN = window.CaisseEAN;
  const Cart = window.CaisseCart;

  // The page is served at /<db>/caisse/: the database is the first segment.
  const DB = location.pathname.split('/')[1];
  const API = `/${DB}/caisse/api/`;
  const FLUSH_EVERY_MS = 30000;
  // A van's weak network can leave a request hanging for minutes: give up
  // early, the sale stays queued (and its key makes a resend harmless).
  const TIMEOUT_MS = 10000;
  const QUICK_AMOUNTS = ['5', '10', '20', '50'];
  const DENOMINATIONS = ['500', '200', '100', '50', '20', '10', '5', '2', '1',
    '0.50', '0.20', '0.10', '0.05', '0.02', '0.01'];
  const KEYS = ['7', '8', '9', '4', '5', '6', '1', '2', '3', ',', '0', '⌫'];
  const VIEWS = ['loading', 'login-view', 'setup-view', 'app'];

  const $ = (selector) => document.querySelector(selector);

  /* ---- Storage: one key per database, so two databases on one server
   * do not mix their sales. */
  const storage = {
    key: (name) => `caisse/${DB}/${name}`,
    load(name, fallback) {
      try {
        return JSON.parse(localStorage.getItem(this.key(name))) ?? fallback;
      } catch (error) {
        return fallback;
      }
    },
    save(name, value) {
      try {
        localStorage.setItem(this.key(name), JSON.stringify(value));
      } catch (error) {
        say('La mémoire du navigateur est pleine : les ventes ne sont plus '
          + 'gardées hors ligne. Reconnectez la caisse au réseau.');
      }
    },
  };

  const state = {
    catalogue: storage.load('catalogue', null),
    queue: storage.load('queue', []),  // [{sale, session, error, sessionClosed}]
    sale: null,          // the sale on screen: {key, date, lines, payments, email}
    category: null,      // the selected category id, null for "Tout"
    weighing: null,      // the product in the weight dialog
    receipt: null,       // the server's answer for the last recorded sale
    closing: null,       // the session being closed (GET api/session)
    freshLine: null,     // index of the line just added, to highlight it
    busy: false,         // a sale is being validated
  };

  /* ---- Small helpers */

  /** An element with attributes (on… are listeners; null skips) and children. */
  function h(tag, attributes, ...children) {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (name.startsWith('on')) {
        element.addEventListener(name.slice(2), value);
      } else if (value !== null && value !== undefined) {
        element.setAttribute(name, value);
      }
    }
    element.append(...children.filter((child) => child !== null));
    return element;
  }

  function money(cents) {
    const symbol = state.catalogue?.company?.currency?.symbol || '€';
    return `${Cart.centsToString(cents).replace('.', ',')}\u00a0${symbol}`;
  }

  /** Show an amount, with its API form in data-amount for scripts and tests. */
  function showAmount(element, cents) {
    element.textContent = money(cents);
    element.dataset.amount = Cart.centsToString(cents);
  }

  function priceText(product) {
    return `${money(Cart.toCents(product.price))} / ${product.unit}`;
  }

  function quantityText(quantity, digits) {
    return (digits ? quantity.toFixed(digits) : String(quantity)).replace('.', ',');
  }

  function frenchDate(isoDate) {
    return isoDate.split('-').reverse().join('/');
  }

  /** Today as YYYY-MM-DD in local time (toISOString would give the UTC day,
   * the day before for a sale rung up just after midnight in France). */
  function today() {
    const now = new Date();
    const pad = (number) => String(number).padStart(2, '0');
    return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  }

  /** A random UUID; randomUUID only exists on https and localhost pages. */
  function newKey() {
    if (crypto.randomUUID) return crypto.randomUUID();
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;  // version 4
    bytes[8] = (bytes[8] & 0x3f) | 0x80;  // RFC 4122 variant
    const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20),
      hex.slice(20)].join('-');
  }

  /** Lower case without accents, so that "peche" finds "Pêche". */
  function searchable(text) {
    return (text || '').normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();
  }

  /* ---- Messages: one line above everything, dialogs included */

  let messageTimer = null;

  function say(text, kind = 'error') {
    const box = $('#message');
    $('#message-text').textContent = text;
    box.className = `message ${kind}`;
    box.setAttribute('aria-live', kind === 'error' ? 'assertive' : 'polite');
    raiseMessage();
    clearTimeout(messageTimer);
    messageTimer = setTimeout(hideMessage, kind === 'error' ? 12000 : 6000);
  }

  /** Show the message again: the last element put in the top layer is drawn
   * above the others, so a dialog opened later would hide it. */
  function raiseMessage() {
    hideMessage();
    $('#message').showPopover();
  }

  /** Say what is wrong with a field, and put the cursor there to fix it. */
  function showWrong(field, text) {
    say(text);
    field.focus();
    field.select?.();
  }

  function hideMessage() {
    const box = $('#message');
    if (box.matches(':popover-open')) box.hidePopover();
  }

  /* ---- Server */

  /** Call the server (GET without body, POST with one). Returns {status,
   * ok, data}, or {offline: true} when the server cannot be reached or the
   * answer comes from the service worker's cache. An API's 401 shows the
   * login form. */
  async function request(path, body) {
    const options = {credentials: 'same-origin', signal: AbortSignal.timeout(TIMEOUT_MS)};
    if (body !== undefined) {
      Object.assign(options, {method: 'POST', body: JSON.stringify(body),
        headers: {'Content-Type': 'application/json'}});
    }
    let response;
    try {
      response = await fetch(path, options);
    } catch (error) {
      setOnline(false);
      return {offline: true};
    }
    const data = await response.json().catch(() => ({}));
    if (response.headers.get('X-Caisse-Cache') === 'offline') {
      setOnline(false);
      return {offline: true, cached: data};
    }
    setOnline(true);
    if (response.status === 401 && data.login) showLogin();
    return {status: response.status, ok: response.ok, data};
  }

  /** Server errors and timeouts pass: a sale meeting one is sent again later. */
  function transient(status) {
    return status >= 500 || status === 408 || status === 429;
  }

  function errorText(answer) {
    return answer.data?.error || `Le serveur a refusé la demande (erreur ${answer.status}).`;
  }

  function setOnline(online) {
    const indicator = $('#network');
    indicator.textContent = online ? 'En ligne' : 'Hors ligne';
    indicator.className = `network ${online ? 'online' : 'offline'}`;
  }

  /* ---- Screens */

  function showView(id) {
    hideMessage();  // it spoke of the screen being left
    for (const view of VIEWS) {
      document.getElementById(view).hidden = view !== id;
    }
  }

  function appShown() {
    return !$('#app').hidden;
  }

  function showNotice(title, text) {
    $('#setup-view h1').textContent = title;
    $('#setup-text').textContent = text;
    showView('setup-view');
  }

  function showLogin() {
    if (!$('#login-view').hidden) {
      return;  // already shown: keep what the cashier is typing
    }
    for (const dialog of document.querySelectorAll('dialog[open]')) {
      dialog.close();
    }
    showView('login-view');
    $('[data-test="login"]').focus();
  }

  async function login(event) {
    event.preventDefault();
    const form = event.currentTarget;
    const button = form.querySelector('[type="submit"]');
    if (button.disabled) return;
    button.disabled = true;
    const {login: name, password} = form.elements;
    const answer = await request(`/${DB}/session/login`,
      {params: [name.value.trim(), {password: password.value}, 'fr']});
    button.disabled = false;
    if (answer.ok) {
      password.value = '';
      showView('loading');
      await openCashier();
      return;
    }
    say(answer.offline ? 'Pas de connexion au serveur : la connexion à la caisse '
        + 'a besoin du réseau.'
      : answer.status === 429 ? 'Trop d’essais : patientez une minute avant de réessayer.'
        : 'Identifiant ou mot de passe incorrect.');
    password.select();
  }

  async function logout() {
    const answer = await request(`/${DB}/session/logout`, {});
    if (answer.offline) {
      say('Pas de réseau : restez connecté pour continuer à vendre hors ligne.');
      return;
    }
    showLogin();
  }

  /** Fetch the catalogue and keep it for offline use. Returns 'fresh',
   * 'cached' (no network: the kept one is used) or null when the screen
   * cannot be used (login form, set-up message). */
  async function loadCatalogue() {
    const answer = await request(`${API}catalogue`);
    if (answer.ok) {
      state.catalogue = answer.data;
      storage.save('catalogue', answer.data);
      return 'fresh';
    }
    if (answer.status === 401) return null;
    if (answer.status === 409 && answer.data.setup) {
      showNotice('Caisse non configurée', answer.data.error);
      return null;
    }
    if (!answer.offline) say(errorText(answer));
    state.catalogue ??= answer.cached || null;
    if (!state.catalogue) {
      showNotice('Caisse hors ligne', 'Pas de réseau, et le catalogue n’a encore '
        + 'jamais été chargé sur cet appareil : connectez-le au réseau puis '
        + 'touchez « Réessayer ».');
      return null;
    }
    return 'cached';
  }

  async function openCashier() {
    if (await loadCatalogue()) {
      showApp();
      flushQueue();
    }
  }

  async function reloadCatalogue() {
    const got = await loadCatalogue();
    if (got) {
      renderAll();
      say(got === 'fresh' ? 'Catalogue à jour.'
        : 'Pas de réseau : le catalogue gardé sur la caisse reste utilisé.', 'info');
    }
  }

  function showApp() {
    showView('app');
    renderAll();
    if (!$('dialog[open]')) focusScan();
    if (state.catalogue.point.van && !currentStop()) {
      say('Choisissez l’arrêt de la tournée en haut de l’écran avant de vendre.', 'info');
    }
  }

  function renderAll() {
    renderHeader();
    renderCategories();
    renderTiles();
    renderCart();
    renderQueue();
  }

  function focusScan() {
    $('#scan').focus({preventScroll: true});
  }

  /* ---- Header and van stop */

  function renderHeader() {
    const {point, session, user} = state.catalogue;
    $('#point-name').textContent = point.name;
    $('#session-name').textContent = session.opened
      ? `Session n° ${session.id} ouverte le ${
        new Date(session.opened).toLocaleDateString('fr-FR')}`
      : `Session ${session.name}`;
    $('#cashier').textContent = user.name;
    renderStops();
  }

  /** The van's current stop id, kept across reloads, if still on the round. */
  function currentStop() {
    const id = storage.load('stop', null);
    return state.catalogue.stops.some((stop) => stop.id === id) ? id : null;
  }

  function renderStops() {
    const {point, stops} = state.catalogue;
    const field = $('#stop-field');
    field.hidden = !point.van;
    if (!point.van) return;
    const select = $('#stop');
    select.replaceChildren(select.options[0],
      ...stops.map((stop) => h('option', {value: stop.id}, stop.name)));
    select.value = String(currentStop() ?? '');
    field.classList.toggle('missing', !currentStop());
  }

  function chooseStop() {
    storage.save('stop', Number($('#stop').value) || null);
    renderStops();
    focusScan();
  }

  /** True when the sale can be recorded: a van sale needs its stop. */
  function stopChosen() {
    if (!state.catalogue.point.van || currentStop()) return true;
    showWrong($('#stop'), 'Choisissez d’abord l’arrêt de la tournée, en haut de l’écran.');
    return false;
  }

  /* ---- Catalogue: categories, search, tiles */

  function renderCategories() {
    const {categories} = state.catalogue;
    if (!categories.some((category) => category.id === state.category)) state.category = null;
    $('#categories').replaceChildren(...[{id: null, name: 'Tout'}, ...categories]
      .map((category) => h('button', {type: 'button',
        'aria-pressed': String(category.id === state.category),
        onclick: () => selectCategory(category.id)}, category.name)));
  }

  function selectCategory(id) {
    state.category = id;
    renderCategories();
    renderTiles();
  }

  /** The products of the selected category matching the search words
   * (digits only are a barcode being scanned, not a search). */
  function visibleProducts() {
    const text = $('#scan').value.trim();
    const words = /^\d*$/.test(text) ? [] : searchable(text).split(/\s+/);
    return state.catalogue.products.filter((product) =>
      (state.category === null || product.categories.includes(state.category))
      && words.every((word) => searchable(
        `${product.name} ${product.code || ''} ${product.producer || ''}`).includes(word)));
  }

  function renderTiles() {
    const products = visibleProducts();
    $('#tiles').replaceChildren(...products.map(tile));
    $('#no-tile').hidden = products.length > 0;
  }

  function tile(product) {
    const allergens = product.allergens.join(', ');
    return h('div', {class: 'tile'},
      h('button', {type: 'button', class: 'tile-main', 'data-test': 'tile',
        'data-product': product.id, onclick: () => chooseProduct(product)},
      picture(product),
      product.organic ? h('span', {class: 'badge-bio',
        title: 'Issu de l’agriculture biologique'}, 'Bio') : null,
      h('span', {class: 'tile-name'}, product.name),
      h('span', {class: 'tile-price'}, priceText(product)),
      product.producer ? h('span', {class: 'tile-producer'}, product.producer) : null),
      allergens ? h('button', {type: 'button', class: 'tile-allergens',
        title: `Allergènes : ${allergens}`,
        'aria-label': `Allergènes de ${product.name} : ${allergens}`,
        onclick: () => showAllergens(product)}, '⚠ Allergènes') : null);
  }

  /** The product's image, or its initials on a colour of its own. */
  function picture(product) {
    if (product.image) {
      return h('span', {class: 'tile-picture'}, h('img', {src: product.image, alt: ''}));
    }
    const words = product.name.split(/\s+/).filter((word) => word.length > 2);
    const initials = words.length > 1 ? words[0][0] + words[1][0] : product.name.slice(0, 2);
    return h('span', {class: 'tile-picture', 'aria-hidden': 'true',
      style: `background: hsl(${(product.id * 47) % 360} 45% 85%)`},
    initials.toUpperCase());
  }

  function showAllergens(product) {
    $('#allergen-title').textContent = `Allergènes : ${product.name}`;
    $('#allergen-list').replaceChildren(
      ...product.allergens.map((allergen) => h('li', {}, allergen)));
    openDialog($('#allergen-dialog'));
  }

  function chooseProduct(product) {
    if (product.weighed) {
      openWeight(product);
    } else {
      addLine(product, 1);
    }
  }

  /* ---- Scanner and search field */

  function submitScan() {
    const text = $('#scan').value.trim();
    if (/^\d{6,14}$/.test(text)) {
      scanCode(text);
      clearScan();
      return;
    }
    const shown = visibleProducts();
    if (text && shown.length === 1) {
      clearScan();
      chooseProduct(shown[0]);
    }
  }

  function scanCode(code) {
    const found = EAN.lookup(code, state.catalogue.products, state.catalogue.point);
    if (found.error === 'checksum') {
      say(`Code-barres mal lu (chiffre de contrôle faux) : ${code}. Scannez-le de nouveau.`);
    } else if (found.error) {
      say(`Code-barres inconnu : ${code}`);
    } else if (found.quantity === null) {
      openWeight(found.product);
    } else {
      addLine(found.product, found.quantity);
    }
  }

  function clearScan() {
    $('#scan').value = '';
    renderTiles();
  }

  /** A scanner types wherever the focus is: send what is typed outside a
   * field to the scan field, so a code is never lost. */
  function redirectTyping(event) {
    const typing = event.key.length === 1 && event.key !== ' '
      && !event.ctrlKey && !event.metaKey && !event.altKey;
    if (!typing || !appShown() || $('dialog[open]')
      || event.target.closest('input, textarea, select')) {
      return;
    }
    event.preventDefault();
    const scan = $('#scan');
    scan.value += event.key;
    focusScan();
    scan.dispatchEvent(new Event('input'));
  }

  /* ---- Weight entry */

  function openWeight(product) {
    state.weighing = product;
    $('#weight-title').textContent = `Pesée : ${product.name}`;
    $('#weight-price').textContent = priceText(product);
    $('label[for="weight"]').textContent = `Poids en ${product.unit}`;
    $('#weight').value = '';
    showWeightAmount();
    openDialog($('#weight-dialog'), $('#weight'));
  }

  function showWeightAmount() {
    const parsed = Cart.parseQuantity($('#weight').value, state.weighing);
    $('#weight-amount').textContent = parsed.error ? '—' : money(
      Cart.lineAmount({quantity: parsed.quantity, price: state.weighing.price,
        price_digits: state.weighing.price_digits}));
  }

  function submitWeight(event) {
    event.preventDefault();
    const parsed = Cart.parseQuantity($('#weight').value, state.weighing);
    if (parsed.error) {
      showWrong($('#weight'), parsed.error);
      return;
    }
    $('#weight-dialog').close();
    addLine(state.weighing, parsed.quantity);
  }

  /** Fill a .keypad with buttons that type into its field. They keep the
   * focus in the field (a tablet's own keyboard stays closed, a keyboard
   * or a scale can still type there). */
  function buildKeypad(pad) {
    const input = document.getElementById(pad.dataset.keypadFor);
    pad.replaceChildren(...KEYS.map((key) => h('button', {type: 'button',
      tabindex: '-1', 'aria-label': key === '⌫' ? 'Effacer' : null,
      onpointerdown: (event) => event.preventDefault(),
      onclick: () => pressKey(input, key)}, key)));
  }

  function pressKey(input, key) {
    let {selectionStart: start, selectionEnd: end} = input;
    if (key === '⌫' && start === end) start = Math.max(0, start - 1);
    input.setRangeText(key === '⌫' ? '' : key, start, end, 'end');
    input.dispatchEvent(new Event('input'));
  }

  /* ---- The sale in progress */

  function newSale() {
    return {key: newKey(), date: today(), lines: [], payments: [], email: ''};
  }

  /** The sale saved before a reload, or a new one (an empty sale left
   * overnight starts afresh, with today's date). */
  function restoreSale() {
    const saved = storage.load('sale', null);
    return saved?.lines?.length ? saved : newSale();
  }

  function saleChanged() {
    storage.save('sale', state.sale);
    renderCart();
    if ($('#pay-dialog').open) renderPay();
  }

  /** Add a product; a product sold by the piece adds to its line. Each line
   * keeps what it needs to be shown and checked without the catalogue. */
  function addLine(product, quantity) {
    const {lines} = state.sale;
    const same = !product.weighed && lines.find((line) => line.product === product.id);
    const wanted = same
      ? Number((same.quantity + quantity).toFixed(product.digits || 0))
      : quantity;
    const parsed = Cart.parseQuantity(wanted, product);
    if (parsed.error) {
      say(parsed.error);
      return;
    }
    if (same) {
      same.quantity = parsed.quantity;
    } else {
      const {name, price, unit, weighed, digits, max_quantity} = product;
      lines.push({product: product.id, name, price, unit, weighed, digits,
        max_quantity, price_digits: product.price_digits,
        quantity: parsed.quantity, discount: '0'});
    }
    state.freshLine = same ? lines.indexOf(same) : lines.length - 1;
    saleChanged();
  }

  function renderCart() {
    const {lines} = state.sale;
    $('#lines').replaceChildren(...lines.map(lineItem));
    $('#lines .fresh')?.scrollIntoView({block: 'nearest'});
    state.freshLine = null;
    $('#empty-cart').hidden = lines.length > 0;
    showAmount($('#total'), Cart.cartTotal(lines));
    $('#pay').disabled = !lines.length;
    $('#cancel-sale').disabled = !lines.length;
  }

  function lineItem(line, index) {
    return h('li', {class: index === state.freshLine ? 'line fresh' : 'line',
      'data-test': 'line', 'data-product': line.product},
    h('span', {class: 'line-name'}, line.name,
      h('small', {class: 'line-price'}, priceText(line))),
    h('label', {}, h('input', {'data-test': 'line-quantity', inputmode: 'decimal',
      autocomplete: 'off', 'aria-label': `Quantité de ${line.name}`,
      value: quantityText(line.quantity, line.digits),
      onchange: (event) => setQuantity(line, event.target)}), line.unit),
    h('label', {}, h('input', {'data-test': 'line-discount', inputmode: 'decimal',
      autocomplete: 'off', 'aria-label': `Remise en % sur ${line.name}`,
      value: Cart.rateToPercent(line.discount),
      onchange: (event) => setDiscount(line, event.target)}), '%'),
    h('span', {class: 'line-amount'}, money(Cart.lineAmount(line))),
    h('button', {type: 'button', class: 'line-remove', 'aria-label': `Retirer ${line.name}`,
      onclick: () => removeLine(index)}, '✕'));
  }

  function setQuantity(line, input) {
    const parsed = Cart.parseQuantity(input.value, line);
    if (parsed.error) {
      say(parsed.error);
      input.value = quantityText(line.quantity, line.digits);
      return;
    }
    line.quantity = parsed.quantity;
    saleChanged();
  }

  function setDiscount(line, input) {
    const {rate, message} = Cart.clampDiscount(input.value,
      state.catalogue.user.max_discount);
    if (message) say(message);
    line.discount = rate;
    saleChanged();
  }

  function removeLine(index) {
    state.sale.lines.splice(index, 1);
    saleChanged();
    focusScan();
  }

  /** "Annuler la vente" asks for a second touch, to spare a sale from a
   * stray finger. */
  function cancelSale(event) {
    const button = event.currentTarget;
    if (!button.classList.contains('confirm')) {
      button.classList.add('confirm');
      button.textContent = 'Confirmer l’annulation';
      setTimeout(() => resetCancel(button), 4000);
      return;
    }
    resetCancel(button);
    state.sale = newSale();
    saleChanged();
    reclaimRefused();
    focusScan();
  }

  function resetCancel(button) {
    button.classList.remove('confirm');
    button.textContent = 'Annuler la vente';
  }

  /* ---- Payment */

  function openPay() {
    if (!state.sale.lines.length) {
      say('Ajoutez au moins un produit avant de payer.');
      return;
    }
    if (!stopChosen()) return;
    const {methods} = state.catalogue;
    const cash = methods.find((method) => method.cash);
    $('#methods').replaceChildren(...methods.map((method) => h('button',
      {type: 'button', 'data-test': 'method', 'data-method': method.id,
        onclick: () => addPayment(method, $('#amount').value)}, method.name)));
    $('#notes').hidden = !cash;
    $('#quick-amounts').replaceChildren(...(cash ? QUICK_AMOUNTS : []).map((amount) =>
      h('button', {type: 'button', 'aria-label': `Billet de ${amount} € reçu en espèces`,
        onclick: () => addPayment(cash, amount)}, `${amount}\u00a0€`)));
    $('#sale-email').value = state.sale.email || '';
    renderPay();
    openDialog($('#pay-dialog'), $('#amount'));
    $('#amount').select();
  }

  function payFigures() {
    const total = Cart.cartTotal(state.sale.lines);
    const {payments} = state.sale;
    const {change, error} = Cart.change(total, payments, state.catalogue.methods);
    return {total, remaining: Cart.remaining(total, payments), change, error};
  }

  /** Show the figures and payments; the amount field offers what remains. */
  function renderPay() {
    const figures = payFigures();
    showAmount($('#pay-total'), figures.total);
    showAmount($('#pay-remaining'), figures.remaining);
    showAmount($('#pay-change'), figures.change);
    $('#pay-change').classList.toggle('due', figures.change > 0);
    $('#payments').replaceChildren(...state.sale.payments.map(paymentItem));
    $('#amount').value = figures.remaining
      ? Cart.centsToString(figures.remaining).replace('.', ',') : '';
    $('#validate').disabled = state.busy || figures.remaining > 0 || Boolean(figures.error);
  }

  function methodName(id) {
    return state.catalogue.methods.find((method) => method.id === id)?.name
      || 'Moyen de paiement';
  }

  function paymentItem(payment, index) {
    const label = `${methodName(payment.method)} : ${money(Cart.toCents(payment.amount))}`;
    return h('li', {}, h('span', {}, label),
      h('button', {type: 'button', 'aria-label': `Retirer le paiement ${label}`,
        onclick: () => removePayment(index)}, '✕'));
  }

  /** Take an amount (typed text) with this method; card and cheque
   * payments may not go beyond the total (change comes from cash). */
  function addPayment(method, amount) {
    const figures = payFigures();
    if (!figures.remaining) {
      say('La vente est déjà payée : touchez « Valider ».');
      return;
    }
    const parsed = Cart.parseAmount(amount);
    if (parsed.error) {
      showWrong($('#amount'), parsed.error);
      return;
    }
    const payments = [...state.sale.payments,
      {method: method.id, amount: Cart.centsToString(parsed.cents)}];
    const {error} = Cart.change(figures.total, payments, state.catalogue.methods);
    if (error) {
      say(error);
      return;
    }
    state.sale.payments = payments;
    saleChanged();
    (payFigures().remaining ? $('#amount') : $('#validate')).focus();
  }

  function removePayment(index) {
    state.sale.payments.splice(index, 1);
    saleChanged();
    $('#amount').focus();
  }

  /** Record the sale: into the queue first, then to the server. The
   * screen is free for the next sale at once, whatever the network does. */
  async function validateSale() {
    const figures = payFigures();
    const email = $('#sale-email');
    if (state.busy || figures.remaining > 0 || figures.error || !stopChosen()) return;
    if (!email.checkValidity()) {
      showWrong(email, 'L’adresse e-mail du ticket n’est pas valide.');
      return;
    }
    state.busy = true;
    $('#validate').disabled = true;
    const entry = {sale: {...state.sale, email: email.value.trim() || null,
      stop: currentStop()}, session: state.catalogue.session.id};
    state.queue.push(entry);
    saveQueue();
    state.sale = newSale();
    saleChanged();
    await flushQueue();
    state.busy = false;
    $('#pay-dialog').close();
    showOutcome(entry, figures.change);
  }

  /** Tell how the sending of a queued sale (entry) ended. */
  function showOutcome(entry, localChange) {
    if (entry.result) {
      showDone(entry.result, Cart.toCents(entry.result.change));
    } else if (entry.sessionClosed) {
      say(entry.error);
      openQueue();
    } else if (entry.error) {
      reclaimRefused();
    } else if (appShown()) {
      showDone(null, localChange);
    } else {
      say('Reconnectez-vous : la vente est gardée et sera envoyée après la connexion.');
    }
  }

  /** The end of a sale: its number and change, or that it waits offline. */
  function showDone(result, changeCents) {
    state.receipt = result;
    $('#done-title').textContent = !result ? 'Vente enregistrée hors ligne'
      : result.duplicate ? 'Vente déjà enregistrée' : 'Vente enregistrée';
    $('#done-ticket').hidden = !result;
    $('#done-offline').hidden = Boolean(result);
    $('#done-number').textContent = result ? result.number : '';
    showAmount($('#done-change'), changeCents);
    $('#done-change').classList.toggle('due', changeCents > 0);
    $('#receipt-actions').hidden = !result;
    openDialog($('#done-dialog'), $('[data-test="new-sale"]'));
  }

  function printReceipt() {
    window.open(`${state.receipt.receipt}?print=1`, '_blank');
  }

  function askReceiptEmail() {
    $('#receipt-email').value = '';
    openDialog($('#email-dialog'), $('#receipt-email'));
  }

  async function sendReceiptEmail(event) {
    event.preventDefault();
    const button = event.currentTarget.querySelector('[type="submit"]');
    const field = $('#receipt-email');
    const address = field.value.trim();
    if (button.disabled) return;
    if (!address || !field.checkValidity()) {
      showWrong(field, 'Saisissez l’adresse e-mail du client, par exemple client@exemple.fr.');
      return;
    }
    button.disabled = true;
    const answer = await request(`${API}receipt/${state.receipt.id}/email`, {email: address});
    button.disabled = false;
    if (answer.ok) {
      $('#email-dialog').close();
      say(`Ticket envoyé à ${address}.`, 'info');
    } else if (answer.offline) {
      say('Pas de réseau : le ticket ne peut pas être envoyé maintenant.');
    } else if (answer.status !== 401) {
      say(errorText(answer));
    }
  }

  /* ---- Queue of sales to send */

  function saveQueue() {
    storage.save('queue', state.queue);
    renderQueue();
  }

  function dropFromQueue(entry) {
    state.queue = state.queue.filter((queued) => queued !== entry);
    saveQueue();
  }

  function renderQueue() {
    const badge = $('#queue-count');
    const count = state.queue.length;
    badge.hidden = !count;
    badge.textContent = `${count} vente(s) en attente d’envoi`;
    badge.classList.toggle('blocked', state.queue.some((entry) => entry.error));
    if ($('#queue-dialog').open) renderQueueList();
  }

  let flushing = null;

  /** Send the queued sales in order, one sender at a time (a timer, the
   * network coming back and a validation may ask together). How each
   * went is written on its entry: result, or error (and sessionClosed). */
  async function flushQueue() {
    while (flushing) {
      await flushing;
    }
    flushing = sendPending();
    try {
      await flushing;
    } finally {
      flushing = null;
      reclaimRefused();
    }
  }

  async function sendPending() {
    for (const entry of state.queue.filter((queued) => !queued.error)) {
      if (!(await sendSale(entry))) {
        break;  // the next sales would meet the same wall
      }
    }
  }

  /** Send one queued sale with its own key: a sale recorded before a lost
   * answer comes back as a duplicate, never twice. A refused sale stays in
   * the queue with the server's message until the cashier deals with it.
   * Returns false when the server could not take it (network, server
   * error, login needed): it is sent again later. */
  async function sendSale(entry) {
    const {sale, session} = entry;
    const answer = await request(`${API}sale`, {
      key: sale.key, session, date: sale.date, stop: sale.stop ?? null,
      lines: sale.lines.map(({product, quantity, discount}) => ({product, quantity, discount})),
      payments: sale.payments, email: sale.email || null});
    if (answer.offline || transient(answer.status) || answer.status === 401) return false;
    if (answer.ok) {
      entry.result = answer.data;
      dropFromQueue(entry);
      return true;
    }
    entry.error = errorText(answer);
    entry.sessionClosed = Boolean(answer.data.session_closed);
    saveQueue();
    if (entry.sessionClosed) refreshSession();
    return true;
  }

  /** Learn the open session after the server said ours is closed, so that
   * the next sales go to the right one. */
  async function refreshSession() {
    if (await loadCatalogue()) renderHeader();
  }

  /** Put a refused sale back on screen with the server's message, when no
   * sale is in progress there (otherwise it waits in the queue). */
  function reclaimRefused() {
    const entry = state.queue.find((queued) => queued.error && !queued.sessionClosed);
    if (entry && !state.sale.lines.length && !state.busy) takeBack(entry);
  }

  function takeBack(entry) {
    dropFromQueue(entry);
    state.sale = entry.sale;  // with its key: nothing was recorded under it
    saleChanged();
    say(`Vente refusée par le serveur : ${entry.error}`);
  }

  function openQueue() {
    renderQueueList();
    openDialog($('#queue-dialog'));
  }

  function renderQueueList() {
    if (!state.queue.length) {
      $('#queue-dialog').close();
      return;
    }
    $('#queue-list').replaceChildren(...state.queue.map((entry) => h('li', {},
      h('div', {}, `Vente du ${frenchDate(entry.sale.date)} : `
        + `${entry.sale.lines.length} ligne(s), ${money(Cart.cartTotal(entry.sale.lines))}`),
      h('div', {class: entry.error ? 'error' : 'muted'}, entry.error || 'En attente d’envoi'),
      queueAction(entry))));
    $('#send-queue').disabled = !state.queue.some((entry) => !entry.error);
  }

  function queueAction(entry) {
    if (entry.sessionClosed) {
      return h('button', {type: 'button', class: 'primary',
        onclick: () => resendInCurrentSession(entry)}, 'Renvoyer dans la session en cours');
    }
    if (entry.error) {
      return h('button', {type: 'button', onclick: () => takeBackFromQueue(entry)},
        'Reprendre à l’écran');
    }
    return null;
  }

  function takeBackFromQueue(entry) {
    if (state.sale.lines.length) {
      say('Terminez ou annulez d’abord la vente en cours.');
      return;
    }
    $('#queue-dialog').close();
    takeBack(entry);
  }

  async function resendInCurrentSession(entry) {
    if (!(await loadCatalogue())) return;
    renderHeader();
    Object.assign(entry, {session: state.catalogue.session.id, error: null,
      sessionClosed: false});
    saveQueue();
    await flushQueue();
    if (entry.result) {
      say(`Vente ${entry.result.number} enregistrée dans la session en cours.`, 'info');
    } else if (entry.error) {
      say(entry.error);
    } else {
      say('Pas de réseau : la vente partira dès le retour de la connexion.', 'info');
    }
  }

  async function sendQueueNow() {
    await flushQueue();
    if (state.queue.some((entry) => !entry.error)) {
      say('Pas de réseau : les ventes partiront dès le retour de la connexion.');
    }
  }

  /* ---- Closing the till */

  async function openClose() {
    if (state.sale.lines.length) {
      say('Terminez ou annulez la vente en cours avant de clôturer la caisse.');
      return;
    }
    if (state.queue.length) await flushQueue();
    if (state.queue.length) {
      say(`${state.queue.length} vente(s) en attente d’envoi : la caisse ne peut être `
        + 'clôturée qu’une fois toutes ses ventes envoyées au serveur.');
      return;
    }
    const answer = await request(`${API}session`);
    if (!answer.ok) {
      if (answer.offline) {
        say('Pas de réseau : la clôture de caisse a besoin du serveur.');
      } else if (answer.status !== 401) {
        say(errorText(answer));
      }
      return;
    }
    fillClose(answer.data);
    openDialog($('#close-dialog'), $('#counted'));
  }

  function fillClose(session) {
    state.closing = session;
    showAmount($('#close-start'), Cart.toCents(session.start_amount));
    showAmount($('#close-cash'), Cart.toCents(session.cash_balance));
    showAmount($('#close-expected'), Cart.toCents(session.expected));
    $('#close-sales').textContent =
      `${session.sales} vente(s), ${money(Cart.toCents(session.total))}`;
    $('#counted').value = '';
    $('#reason').value = '';
    $('#denominations').replaceChildren(...DENOMINATIONS.map((value) => {
      const cents = Cart.toCents(value);
      return h('label', {}, `${money(cents)} ×`, h('input', {type: 'number', min: '0',
        step: '1', inputmode: 'numeric', 'data-cents': cents,
        'aria-label': `Nombre de billets ou pièces de ${money(cents)}`}));
    }));
    showGap();
  }

  /** Cents counted, or null while the field is empty or not a number. */
  function countedCents() {
    const text = $('#counted').value.trim();
    return text ? Cart.toCents(text) : null;
  }

  function closingGap() {
    const counted = countedCents();
    return counted === null ? null : counted - Cart.toCents(state.closing.expected);
  }

  function showGap() {
    const gap = closingGap();
    const output = $('#close-gap');
    output.textContent = gap === null ? '—' : (gap > 0 ? '+' : '') + money(gap);
    output.classList.toggle('gap', Boolean(gap));
    $('#reason-needed').hidden = !gap;
    $('#reason').required = Boolean(gap);
  }

  function countDenominations() {
    const cents = [...$('#denominations').querySelectorAll('input')].reduce(
      (sum, input) => sum + Number(input.dataset.cents) * (Math.trunc(input.value) || 0), 0);
    $('#counted').value = Cart.centsToString(cents).replace('.', ',');
    showGap();
  }

  async function confirmClose(event) {
    event.preventDefault();
    const button = $('[data-test="close-confirm"]');
    const counted = countedCents();
    const gap = closingGap();
    const reason = $('#reason').value.trim();
    if (button.disabled) return;
    if (counted === null || counted < 0) {
      showWrong($('#counted'), 'Saisissez le montant des espèces comptées dans le tiroir.');
      return;
    }
    if (gap && !reason) {
      showWrong($('#reason'), 'La caisse présente un écart : indiquez-en le motif.');
      return;
    }
    button.disabled = true;
    const answer = await request(`${API}session/close`,
      {counted: Cart.centsToString(counted), reason});
    button.disabled = false;
    if (answer.ok) {
      sessionClosed(answer.data);
    } else if (answer.offline) {
      say('Pas de réseau : la clôture de caisse a besoin du serveur.');
    } else if (answer.status !== 401) {
      say(errorText(answer));
    }
  }

  function sessionClosed({gap, session}) {
    $('#close-dialog').close();
    state.catalogue.session = session;
    storage.save('catalogue', state.catalogue);
    renderHeader();
    const gapCents = Cart.toCents(gap);
    say(`Caisse clôturée${gapCents ? `, écart de ${money(gapCents)}` : ' sans écart'}. `
      + `Nouvelle session : ${session.name}.`, 'info');
  }

  /* ---- Dialogs and keyboard */

  function openDialog(dialog, focus) {
    dialog.showModal();
    focus?.focus();
    if ($('#message').matches(':popover-open')) raiseMessage();
  }

  /** F2: scan or search field, F4: pay; Escape is the dialogs' own. */
  function onKeydown(event) {
    const shortcut = {F2: selectScan, F4: openPay}[event.key];
    if (!shortcut) {
      redirectTyping(event);
      return;
    }
    event.preventDefault();
    if (appShown() && !$('dialog[open]')) shortcut();
  }

  function selectScan() {
    focusScan();
    $('#scan').select();
  }

  /** Buttons that only name an action (header, notices) or close a dialog. */
  function onClick(event) {
    const target = event.target.closest('[data-action], [data-close]');
    if (!target) return;
    if (target.hasAttribute('data-close')) {
      target.closest('dialog').close();
      return;
    }
    const actions = {logout, reload: reloadCatalogue, retry: openCashier,
      'close-session': openClose};
    actions[target.dataset.action]();
  }

  function bindEvents() {
    const on = (selector, type, listener) => $(selector).addEventListener(type, listener);
    document.addEventListener('keydown', onKeydown);
    document.addEventListener('click', onClick);
    on('#login-form', 'submit', login);
    on('#stop', 'change', chooseStop);
    on('#queue-count', 'click', openQueue);
    on('#send-queue', 'click', sendQueueNow);
    on('#scan', 'input', renderTiles);
    on('#scan', 'keydown', (event) => {
      if (event.key === 'Enter') {
        event.preventDefault();
        submitScan();
      }
    });
    // A finger on the field means typing a search: let the tablet's keyboard
    // open there (inputmode="none" keeps it closed for the scanner otherwise).
    on('#scan', 'pointerdown', (event) => { event.target.inputMode = 'search'; });
    on('#scan', 'blur', (event) => { event.target.inputMode = 'none'; });
    on('#weight', 'input', showWeightAmount);
    on('#weight-form', 'submit', submitWeight);
    on('#cancel-sale', 'click', cancelSale);
    on('#pay', 'click', openPay);
    on('#validate', 'click', validateSale);
    on('#print-receipt', 'click', printReceipt);
    on('#email-receipt', 'click', askReceiptEmail);
    on('#email-form', 'submit', sendReceiptEmail);
    on('#counted', 'input', showGap);
    on('#denominations', 'input', countDenominations);
    on('#close-form', 'submit', confirmClose);
    on('#message-close', 'click', hideMessage);
    for (const dialog of document.querySelectorAll('dialog')) {
      dialog.addEventListener('close', () => {
        if (appShown() && !$('dialog[open]')) focusScan();
      });
    }
    window.addEventListener('online', () => {
      setOnline(true);
      flushQueue();
    });
    window.addEventListener('offline', () => setOnline(false));
  }

  function start() {
    if ('serviceWorker' in navigator) {
      navigator.serviceWorker.register('sw.js').catch((error) =>
        console.warn('Caisse : pas de fonctionnement hors ligne au rechargement.', error));
    }
    document.querySelectorAll('[data-keypad-for]').forEach(buildKeypad);
    bindEvents();
    setOnline(navigator.onLine);
    state.sale = restoreSale();
    if (state.catalogue) {
      showApp();  // at once from the kept catalogue; refreshed just below
    }
    openCashier();
    setInterval(flushQueue, FLUSH_EVERY_MS);
  }

  start();
}());
