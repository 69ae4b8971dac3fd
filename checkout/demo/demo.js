// The demo shop's own script: what a company's page does with the checkout kit.
(function () {
  'use strict';
  var WORDS = {
    eng: { charged: 'Paid', authorized: 'Authorised', failed: 'Declined', unknown: 'Being confirmed', pending: 'Being confirmed', refunded: 'Refunded', cancelled: 'Cancelled' },
    rus: { charged: 'Оплачено', authorized: 'Авторизовано', failed: 'Отклонено', unknown: 'Подтверждается', pending: 'Подтверждается', refunded: 'Возвращено', cancelled: 'Отменено' },
    kaz: { charged: 'Төленді', authorized: 'Авторизацияланды', failed: 'Қабылданбады', unknown: 'Расталуда', pending: 'Расталуда', refunded: 'Қайтарылды', cancelled: 'Болдырылмады' },
  };
  var lang = new URLSearchParams(location.search).get('lang') || sessionStorage.getItem('demo-lang') || 'eng';
  if (!WORDS[lang]) lang = 'eng';
  sessionStorage.setItem('demo-lang', lang);
  document.documentElement.lang = { rus: 'ru', kaz: 'kk', eng: 'en' }[lang];
  var result = document.getElementById('result');

  function show(payment) {
    var words = WORDS[lang][payment.status] || payment.status;
    var failure = payment.failure ? ' (' + payment.failure.message + ')' : '';
    result.dataset.status = payment.status;
    result.dataset.paymentId = payment.id;
    result.textContent = words + ': ' + (payment.amount / 100).toFixed(2) + ' ₸' + failure;
  }
  function showError(err) {
    result.dataset.status = 'error';
    result.textContent = (err && err.message) || String(err);
  }

  fetch('/demo/config?lang=' + lang)
    .then(function (r) { return r.json(); })
    .then(function (cfg) {
      var pk = EpayCheckout.create({ apiUrl: cfg.apiUrl, key: cfg.publishableKey, language: lang, allowExpiredCards: true });
      var cs = EpayCheckout.create({ apiUrl: cfg.apiUrl, key: cfg.customerSession, language: lang, allowExpiredCards: true });
      if (document.body.dataset.page === 'return') {
        return pk.handleReturn().then(function (p) { p ? show(p) : showError('No payment started in this browser'); }, showError);
      }
      var order = function () {
        return {
          amount: 10050,
          description: 'Demo order ' + cfg.orderNumber,
          accountId: cfg.accountId,
          backLink: location.origin + '/demo/return',
          failureBackLink: location.origin + '/demo/return',
        };
      };
      document.getElementById('order-number').textContent = cfg.orderNumber;
      document.getElementById('account').textContent = cfg.accountId;
      var list = document.getElementById('test-cards');
      cfg.testCards.forEach(function (c) {
        var li = document.createElement('li');
        li.innerHTML = '<strong></strong>: <code></code> <code></code> CVC <code></code> <span></span>';
        li.querySelector('strong').textContent = c.label;
        var codes = li.querySelectorAll('code');
        codes[0].textContent = c.number; codes[1].textContent = c.expiry; codes[2].textContent = c.cvc;
        li.querySelector('span').textContent = c.hint || '';
        list.appendChild(li);
      });

      var card = pk.mountCard('#card');
      var button = document.getElementById('pay-card');
      document.getElementById('card-form').addEventListener('submit', function (e) {
        e.preventDefault();
        var save = document.getElementById('save-card').checked;
        button.disabled = true;
        result.textContent = '…';
        (save ? cs : pk).payWithCard(card, Object.assign(order(), save ? { saveCard: true } : {}))
          .then(function (p) { show(p); loadSaved(); }, showError)
          .then(function () { button.disabled = false; });
      });

      function loadSaved() {
        return cs.listSavedCards(cfg.accountId).then(function (cards) {
          var ul = document.getElementById('saved-cards');
          ul.textContent = '';
          if (!cards.length) { ul.innerHTML = '<li>None yet: pay by card with “Save this card”.</li>'; return; }
          cards.forEach(function (c) {
            var li = document.createElement('li');
            var b = document.createElement('button');
            b.type = 'button';
            b.className = 'pay-saved';
            b.textContent = 'Pay with ' + (c.type || '') + ' ' + (c.mask || c.id);
            b.onclick = function () {
              b.disabled = true;
              cs.payWithSavedCard(c.id, order()).then(show, showError).then(function () { b.disabled = false; });
            };
            li.appendChild(b);
            ul.appendChild(li);
          });
        }, showError);
      }
      loadSaved();

      pk.mountGooglePay('#google-pay', order(), { onResult: show, onError: showError }).then(function (shown) {
        document.getElementById('google-pay-status').textContent = shown ? '' : 'Google Pay is not available in this browser.';
      }, function () {
        document.getElementById('google-pay-status').textContent = 'Google Pay is not available in this browser.';
      });

      document.getElementById('open-widget').addEventListener('click', function () {
        pk.openWidget(order()).then(show, showError);
      });
    })
    .catch(showError);
})();
