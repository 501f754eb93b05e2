/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/** The page's script (`site.js`): the list's search and filters (the list reads in full without them); a paper page's copy buttons. */
import { SITE_INDEX_GLOBAL, pageSearch, type PageSearch, type SiteIndex } from './search.js';

/** The form's filters, each by the data attribute of a paper it reads. */
const FILTERS = [['member', 'm'], ['category', 'c'], ['year', 'y'], ['type', 't']] as const;

function setUpList(form: HTMLFormElement): void {
  const list = document.getElementById('papers');
  const results = document.getElementById('results');
  const status = document.getElementById('status');
  const input = form.querySelector<HTMLInputElement>('input[type=search]');
  if (!list || !results || !status || !input) return;
  const items = Array.from(list.querySelectorAll<HTMLLIElement>('li[data-i]'));
  const sections = Array.from(list.querySelectorAll<HTMLElement>('section'));
  const index = (window as unknown as Record<string, SiteIndex | undefined>)[SITE_INDEX_GLOBAL];
  let search: PageSearch | null = null;
  try {
    search = index ? pageSearch(index) : null;
  } catch (error) {
    console.error(error);
  }
  if (!search) input.disabled = true;
  form.hidden = false;

  // `typing`: the query's last word may be unfinished (an input event, no space after it yet).
  const update = (typing: boolean): void => {
    const chosen = FILTERS.map(([name, key]) => [key, (form.elements.namedItem(name) as HTMLSelectElement | null)?.value ?? ''] as const);
    const fits = (item: HTMLLIElement, years: { from: number; to: number } | null): boolean => {
      const year = Number(item.dataset['y']);
      return chosen.every(([key, value]) => holds(item, key, value)) && (years === null || (year >= years.from && year <= years.to));
    };
    const found = search && input.value.trim() !== '' ? search(input.value, typing && !/\s$/.test(input.value)) : null;
    let shown = 0;
    if (found === null) {
      results.hidden = true;
      results.replaceChildren();
      list.hidden = false;
      for (const item of items) {
        item.hidden = !fits(item, null);
        if (!item.hidden) shown += 1;
      }
      for (const section of sections) section.hidden = section.querySelector('li[data-i]:not([hidden])') === null;
    } else {
      const hits: HTMLLIElement[] = [];
      for (const ordinal of found.ordinals ?? items.keys()) {
        const item = items[ordinal];
        if (item && fits(item, found.years)) {
          const copy = item.cloneNode(true) as HTMLLIElement;
          copy.hidden = false;
          hits.push(copy);
        }
      }
      shown = hits.length;
      results.replaceChildren(...hits);
      results.hidden = false;
      list.hidden = true;
    }
    const some = found !== null && !found.every && shown > 0 ? ' with some of the words' : '';
    status.textContent = `${shown} ${shown === 1 ? 'paper' : 'papers'}${some}`;
  };
  form.addEventListener('input', () => update(true));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    update(false);
  });
  update(false);
}

// Whether a paper's data attribute `key` holds a filter's `value` ('' is any); a paper lists its members apart by spaces.
function holds(item: HTMLLIElement, key: string, value: string): boolean {
  return value === '' || (key === 'm' ? (item.dataset[key] ?? '').split(' ').includes(value) : item.dataset[key] === value);
}

function setUpCopyButtons(): void {
  for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-copy]')) {
    button.hidden = false;
    button.addEventListener('click', () => {
      const source = document.getElementById(button.dataset['copy'] ?? '');
      const label = button.textContent;
      navigator.clipboard.writeText(source?.textContent ?? '').then(
        () => {
          button.textContent = 'Copied';
          setTimeout(() => (button.textContent = label), COPIED_MS);
        },
        () => {
          button.textContent = 'Copy failed';
        },
      );
    });
  }
}

const COPIED_MS = 2_000;
const form = document.getElementById('controls');
if (form instanceof HTMLFormElement) setUpList(form);
setUpCopyButtons();
