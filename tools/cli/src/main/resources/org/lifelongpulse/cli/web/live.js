// Lifelong Pulse live dashboards: refetches the panels every 5 s and whenever a control
// changes, and swaps them in without reloading the page. No third-party code.
(function () {
  'use strict';
  var form = document.getElementById('controls');
  if (!form || !form.dataset.uid) {
    return;
  }
  var grid = document.getElementById('grid');
  var status = document.getElementById('status');
  var problem = document.getElementById('problem');
  var custom = document.getElementById('custom');
  var api = '/api/d/' + encodeURIComponent(form.dataset.uid);
  var REFRESH_MS = 5000;
  var timer = null;
  var latest = 0;

  function parameters() {
    var p = new URLSearchParams();
    form.querySelectorAll('select[name^="var-"]').forEach(function (select) {
      Array.prototype.forEach.call(select.selectedOptions, function (o) {
        p.append(select.name, o.value);
      });
    });
    var range = form.elements.range.value;
    p.set('range', range);
    if (range === 'custom') {
      p.set('from', form.elements.from.value);
      p.set('to', form.elements.to.value);
    }
    return p;
  }

  function showOptions(variables) {
    variables.forEach(function (v) {
      var select = form.elements['var-' + v.name];
      var wanted = JSON.stringify(v.options);
      if (!select || select.dataset.options === wanted) {
        return;
      }
      select.dataset.options = wanted;
      if (select.options.length === v.options.length &&
          v.options.every(function (o, i) { return select.options[i].value === o[0]; })) {
        return;
      }
      select.textContent = '';
      v.options.forEach(function (o) {
        var option = document.createElement('option');
        option.value = o[0];
        option.textContent = o[1];
        option.selected = v.selected.indexOf(o[0]) >= 0;
        select.appendChild(option);
      });
    });
  }

  function refresh() {
    clearTimeout(timer);
    var asked = ++latest;
    var query = parameters().toString();
    fetch(api + '?' + query, {cache: 'no-store'})
      .then(function (response) {
        return response.json().then(function (body) {
          return {ok: response.ok, body: body};
        });
      })
      .then(function (answer) {
        if (asked !== latest) {
          return; // a newer request is on its way
        }
        if (!answer.ok) {
          problem.textContent = answer.body.error;
          problem.hidden = false;
          return;
        }
        problem.hidden = true;
        grid.innerHTML = answer.body.grid;
        status.textContent = answer.body.status;
        showOptions(answer.body.variables);
        document.body.dataset.refreshes = String(Number(document.body.dataset.refreshes) + 1);
      })
      .catch(function (e) {
        if (asked === latest) {
          problem.textContent = 'the server did not answer: ' + e;
          problem.hidden = false;
        }
      })
      .then(function () {
        if (asked === latest) {
          timer = setTimeout(refresh, REFRESH_MS);
        }
      });
  }

  function changed() {
    history.replaceState(null, '', '?' + parameters().toString());
    refresh();
  }

  form.addEventListener('change', function (e) {
    custom.hidden = form.elements.range.value !== 'custom';
    if (e.target.name === 'from' || e.target.name === 'to' ||
        (e.target.name === 'range' && e.target.value === 'custom')) {
      return; // custom times apply with the button
    }
    changed();
  });
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    changed();
  });
  timer = setTimeout(refresh, REFRESH_MS);
})();
