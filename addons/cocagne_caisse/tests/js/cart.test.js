'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const cart = require('../../static/cart.js');

const carrots = {name: 'Carottes', unit: 'kg', weighed: true, digits: 3,
  max_quantity: 50};
const jam = {name: 'Confiture', unit: 'u', weighed: false, digits: 0,
  max_quantity: null};
const methods = [{id: 1, name: 'Espèces', cash: true},
  {id: 2, name: 'Carte bancaire', cash: false},
  {id: 3, name: 'Chèque', cash: false}];

test('amounts as cents and back, without floats', () => {
  assert.equal(cart.toCents('2.40'), 240);
  assert.equal(cart.toCents('2,4'), 240);
  assert.equal(cart.toCents(19.99), 1999);
  assert.equal(cart.toCents('abc'), null);
  assert.equal(cart.centsToString(240), '2.40');
  assert.equal(cart.centsToString(5), '0.05');
  assert.equal(cart.centsToString(-100), '-1.00');
  assert.equal(cart.centsToString(123456), '1234.56');
});

test('line amount rounded as the server rounds it', () => {
  assert.equal(cart.lineAmount({quantity: 1.234, price: '2.40', discount: '0'}), 296);
  assert.equal(cart.lineAmount({quantity: 1.234, price: '2.40', discount: '0.05'}), 281);
  // 0.5 × 2.03 = 1.015: a float gives 101.499… cents, the tie goes to 1.02
  assert.equal(cart.lineAmount({quantity: 0.5, price: '2.03', discount: '0'}), 102);
  // 1 × 0.25 × 0.5 = 0.125: a tie goes to the even cent, as Tryton's
  // currency rounding does
  assert.equal(cart.lineAmount({quantity: 1, price: '0.25', discount: '0.5'}), 12);
  assert.equal(cart.lineAmount({quantity: 3, price: '1.10'}), 330);
  // a till whose prices have 2 decimals: 2,40 − 5 % = 2,28 (2,2800 either
  // way) but 2,35 − 5 % = 2,2325 is 2,23 before it is multiplied
  assert.equal(cart.lineAmount({quantity: 3, price: '2.35', discount: '0.05',
    price_digits: 2}), 669);
  assert.equal(cart.lineAmount({quantity: 3, price: '2.35', discount: '0.05'}), 670);
  assert.equal(cart.lineAmount({quantity: 50, price: '999999.99', discount: '0.0525'}),
    4737499952);
});

test('cart total sums the rounded line amounts', () => {
  const lines = [
    {quantity: 1, price: '0.10', discount: '0'},
    {quantity: 1, price: '0.20', discount: '0'},
    {quantity: 0.333, price: '1.00', discount: '0'},
  ];
  assert.equal(cart.cartTotal(lines), 63);
  assert.equal(cart.cartTotal([]), 0);
});

test('remaining to pay never goes below zero', () => {
  assert.equal(cart.remaining(2515, []), 2515);
  assert.equal(cart.remaining(2515, [{method: 1, amount: '20.00'}]), 515);
  assert.equal(cart.remaining(2515, [{method: 1, amount: '50.00'}]), 0);
});

test('change is given from cash only', () => {
  assert.deepEqual(cart.change(2515, [{method: 1, amount: '30.00'}], methods),
    {change: 485, error: null});
  assert.deepEqual(cart.change(2515, [{method: 1, amount: '20.00'},
    {method: 2, amount: '5.15'}], methods), {change: 0, error: null});
  // 20 € cash and a 10 € cheque for 25.15 €: 4.85 € back from the cash
  assert.deepEqual(cart.change(2515, [{method: 1, amount: '20.00'},
    {method: 3, amount: '10.00'}], methods), {change: 485, error: null});
  assert.deepEqual(cart.change(2515, [{method: 1, amount: '10.00'}], methods),
    {change: 0, error: null});
  const refused = cart.change(2515, [{method: 2, amount: '20.00'},
    {method: 3, amount: '10.00'}], methods);
  assert.equal(refused.change, 0);
  assert.match(refused.error, /carte ou chèque dépassent le total/);
});

test('payment amounts typed by the cashier', () => {
  assert.deepEqual(cart.parseAmount('20'), {cents: 2000});
  assert.deepEqual(cart.parseAmount(' 20,5 '), {cents: 2050});
  assert.match(cart.parseAmount('0').error, /supérieur à zéro/);
  assert.match(cart.parseAmount('-5').error, /supérieur à zéro/);
  assert.match(cart.parseAmount('abc').error, /montant en euros/);
  assert.match(cart.parseAmount('1.234').error, /deux décimales/);
});

test('weights: above zero, at most the product digits, below the ceiling', () => {
  assert.deepEqual(cart.parseQuantity('1,234', carrots), {quantity: 1.234});
  assert.deepEqual(cart.parseQuantity(0.5, carrots), {quantity: 0.5});
  assert.deepEqual(cart.parseQuantity('50', carrots), {quantity: 50});
  assert.match(cart.parseQuantity('0', carrots).error, /poids doit être supérieur à zéro/);
  assert.match(cart.parseQuantity('-1', carrots).error, /supérieur à zéro/);
  assert.match(cart.parseQuantity('', carrots).error, /Saisissez le poids en chiffres/);
  assert.match(cart.parseQuantity('1,2345', carrots).error, /3 décimale\(s\) au plus/);
  assert.equal(cart.parseQuantity('60,5', carrots).error,
    '60,5\u00a0kg de Carottes : c’est plus que le maximum de 50\u00a0kg. '
    + 'Vérifiez le poids.');
});

test('pieces: whole numbers above zero, no ceiling when none is set', () => {
  assert.deepEqual(cart.parseQuantity('2', jam), {quantity: 2});
  assert.deepEqual(cart.parseQuantity('1000', jam), {quantity: 1000});
  assert.match(cart.parseQuantity('1,5', jam).error, /nombre entier/);
  assert.match(cart.parseQuantity('0', jam).error, /quantité doit être supérieure/);
});

test('discounts are limited to the user maximum', () => {
  assert.deepEqual(cart.clampDiscount('5', '0.05'), {rate: '0.05', message: null});
  assert.deepEqual(cart.clampDiscount('2,5', '0.05'), {rate: '0.025', message: null});
  assert.deepEqual(cart.clampDiscount('', '0.05'), {rate: '0', message: null});
  assert.deepEqual(cart.clampDiscount('0', '0.05'), {rate: '0', message: null});
  assert.deepEqual(cart.clampDiscount('10', '0.05'),
    {rate: '0.05', message: 'Remise limitée à 5 % pour votre compte.'});
  assert.deepEqual(cart.clampDiscount('10 %', '0.075'),
    {rate: '0.075', message: 'Remise limitée à 7,5 % pour votre compte.'});
  assert.deepEqual(cart.clampDiscount('5', '0'),
    {rate: '0', message: 'Votre compte ne permet pas d’accorder de remise.'});
  assert.equal(cart.clampDiscount('-3', '0.05').rate, '0');
  assert.deepEqual(cart.clampDiscount('100', '1'), {rate: '1', message: null});
  assert.deepEqual(cart.clampDiscount('10', '1.00'), {rate: '0.1', message: null});
  assert.match(cart.clampDiscount('abc', '0.05').message, /pourcentage/);
});

test('a rate shows as a French percentage', () => {
  assert.equal(cart.rateToPercent('0.05'), '5');
  assert.equal(cart.rateToPercent('0.025'), '2,5');
  assert.equal(cart.rateToPercent('0'), '0');
  assert.equal(cart.rateToPercent(null), '0');
});
