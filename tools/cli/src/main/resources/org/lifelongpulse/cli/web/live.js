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
  var notice = '';

  function parameters() {
    var p = new URLSearchParams();
    form.querySelectorAll('select[name^="var-"]').forEach(function (select) {
      Array.prototype.forEach.call(select.selectedOptions, function (o) {
        p.append(select.name, o.value);
      });
    });
    form.querySelectorAll('input[name^="var-"]').forEach(function (input) {
      if (input.value) {
        p.append(input.name, input.value);
      }
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

  // A new time range may not offer a value chosen before (no activity in that district in the
  // last 15 minutes): the server refuses it, and the variables go back to All or their first.
  function resetVariables() {
    form.querySelectorAll('select[name^="var-"]').forEach(function (select) {
      select.multiple = false;
      select.value = select.options.length ? select.options[0].value : '';
    });
  }

  function refresh(resetOnRefusal) {
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
        if (!answer.ok && resetOnRefusal && /^unknown value/.test(answer.body.error)) {
          resetVariables();
          history.replaceState(null, '', '?' + parameters().toString());
          notice = answer.body.error + '; the variables were reset';
          timer = null;
          return 'again';
        }
        if (!answer.ok) {
          problem.textContent = answer.body.error;
          problem.hidden = false;
          return;
        }
        problem.textContent = notice;
        problem.hidden = !notice;
        notice = '';
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
      .then(function (next) {
        if (next === 'again') {
          refresh(false);
        } else if (asked === latest) {
          timer = setTimeout(function () { refresh(false); }, REFRESH_MS);
        }
      });
  }

  function changed(rangeChanged) {
    history.replaceState(null, '', '?' + parameters().toString());
    refresh(rangeChanged);
  }

  form.addEventListener('change', function (e) {
    custom.hidden = form.elements.range.value !== 'custom';
    if (e.target.name === 'from' || e.target.name === 'to' ||
        (e.target.name === 'range' && e.target.value === 'custom')) {
      return; // custom times apply with the button
    }
    changed(e.target.name === 'range');
  });
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    changed(true);
  });
  timer = setTimeout(function () { refresh(false); }, REFRESH_MS);
})();
