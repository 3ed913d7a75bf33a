// The TinyTags search page: plain JavaScript over /api/search, no build step.
'use strict';

const TAGS = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];
const DEFAULTS = { min: 40, max: 100 };
const $ = (id) => document.getElementById(id);
const state = { tags: [], min: DEFAULTS.min, max: DEFAULTS.max, page: 1, pages: 1 };

function buildTagBoxes() {
  const box = $('tags');
  for (const tag of TAGS) {
    const label = document.createElement('label');
    const input = document.createElement('input');
    input.type = 'checkbox';
    input.name = 'tag';
    input.value = tag;
    const count = document.createElement('span');
    count.className = 'count';
    count.dataset.tag = tag;
    label.append(input, ' ' + tag + ' ', count);
    box.append(label);
  }
}

function readForm() {
  state.tags = [...document.querySelectorAll('#tags input:checked')].map((i) => i.value);
  let min = Number($('min').value);
  let max = Number($('max').value);
  if (min > max) [min, max] = [max, min];
  state.min = min;
  state.max = max;
}

function writeForm() {
  for (const input of document.querySelectorAll('#tags input')) {
    input.checked = state.tags.includes(input.value);
  }
  $('min').value = state.min;
  $('max').value = state.max;
  showRange();
}

function showRange() {
  $('min-value').textContent = $('min').value + ' %';
  $('max-value').textContent = $('max').value + ' %';
}

function query() {
  const params = new URLSearchParams();
  if (state.tags.length) params.set('tags', state.tags.join(','));
  params.set('min', state.min);
  params.set('max', state.max);
  params.set('page', state.page);
  return params;
}

// The page's address carries the search, so a reload or a shared link shows the same results.
function readAddress() {
  const params = new URLSearchParams(location.search);
  const tags = (params.get('tags') || '').split(',').filter((t) => TAGS.includes(t));
  const number = (name, fallback) => {
    const n = Number.parseInt(params.get(name), 10);
    return Number.isFinite(n) ? n : fallback;
  };
  state.tags = tags;
  state.min = Math.min(100, Math.max(0, number('min', DEFAULTS.min)));
  state.max = Math.min(100, Math.max(state.min, number('max', DEFAULTS.max)));
  state.page = Math.max(1, number('page', 1));
}

async function search() {
  const params = query();
  history.replaceState(null, '', '?' + params);
  setStatus('Searching…');
  let body;
  try {
    const response = await fetch('api/search?' + params, { headers: { Accept: 'application/json' } });
    body = await response.json();
    if (!response.ok) throw new Error(body.error || response.statusText);
  } catch (e) {
    setStatus(e.message, true);
    $('results').replaceChildren();
    $('paging').hidden = true;
    return;
  }
  // The API pages no deeper than maxPage: narrower searches reach the other images.
  state.pages = Math.min(body.pages, body.maxPage);
  showCounts(body.counts);
  showImages(body.images);
  const first = body.total === 0 ? 0 : (body.page - 1) * body.pageSize + 1;
  const last = (body.page - 1) * body.pageSize + body.images.length;
  $('status').className = '';
  $('status').innerHTML = '';
  const total = document.createElement('strong');
  total.id = 'total';
  total.textContent = body.total.toLocaleString('en');
  $('status').append(total, body.total === 1 ? ' image' : ' images',
    body.total ? ` — showing ${first}–${last}` : ' — try more tags or a wider agreement range');
  $('paging').hidden = body.pages <= 1;
  $('page-info').textContent = `page ${body.page} of ${body.pages}`
    + (body.pages > body.maxPage ? ` (pages past ${body.maxPage}: narrow the search)` : '');
  $('prev').disabled = body.page <= 1;
  $('next').disabled = body.page >= state.pages;
}

function setStatus(text, error = false) {
  $('status').textContent = text;
  $('status').className = error ? 'error' : '';
}

function showCounts(counts) {
  for (const span of document.querySelectorAll('#tags .count')) {
    span.textContent = '(' + (counts[span.dataset.tag] ?? 0).toLocaleString('en') + ')';
  }
}

function showImages(images) {
  const tiles = images.map((image) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'thumb';
    button.dataset.id = image.id;
    const img = document.createElement('img');
    img.src = `api/image/${image.id}.png`;
    img.alt = `${image.label}, ${image.agreement} % agreement`;
    img.width = 64;
    img.height = 64;
    img.loading = 'eager';
    const caption = document.createElement('div');
    caption.className = 'caption';
    caption.textContent = `${image.label} ${image.agreement} %`;
    button.append(img, caption);
    button.addEventListener('click', () => showDetail(image));
    return button;
  });
  $('results').replaceChildren(...tiles);
}

function showDetail(image) {
  $('detail-image').src = `api/image/${image.id}.png`;
  $('detail-image').alt = image.label;
  $('detail-title').textContent = `#${image.id}: ${image.label}`;
  const facts = [['id', image.id], ['block', image.block], ['offset', image.offset.toLocaleString('en') + ' B'],
    ['agreement', `${image.agreement} % (${image.votes} of ${image.trees} trees)`]];
  $('detail-facts').replaceChildren(...facts.flatMap(([k, v]) => {
    const dt = document.createElement('dt');
    dt.textContent = k;
    const dd = document.createElement('dd');
    dd.textContent = v;
    dd.dataset.fact = k;
    return [dt, dd];
  }));
  const rows = TAGS.flatMap((tag) => {
    const votes = image.classVotes[tag] ?? 0;
    const name = document.createElement('span');
    name.textContent = tag;
    if (tag === image.label) name.className = 'winner';
    const bar = document.createElement('div');
    bar.className = 'bar';
    const fill = document.createElement('span');
    fill.style.width = (100 * votes / image.trees) + '%';
    bar.append(fill);
    const value = document.createElement('span');
    value.textContent = votes;
    value.dataset.votes = tag;
    return [name, bar, value];
  });
  $('detail-votes').replaceChildren(...rows);
  $('detail').showModal();
}

function init() {
  buildTagBoxes();
  readAddress();
  writeForm();
  $('min').addEventListener('input', showRange);
  $('max').addEventListener('input', showRange);
  $('filters').addEventListener('submit', (e) => {
    e.preventDefault();
    readForm();
    state.page = 1;
    search();
  });
  $('reset').addEventListener('click', () => {
    Object.assign(state, { tags: [], min: DEFAULTS.min, max: DEFAULTS.max, page: 1 });
    writeForm();
    search();
  });
  $('prev').addEventListener('click', () => { state.page = Math.max(1, state.page - 1); search(); });
  $('next').addEventListener('click', () => { state.page = Math.min(state.pages, state.page + 1); search(); });
  search();
}

document.addEventListener('DOMContentLoaded', init);
