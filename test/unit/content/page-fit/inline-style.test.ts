// @vitest-environment jsdom
import { beforeEach, expect, it } from 'vitest';
import { overrideInline } from '../../../../extension/content/page-fit/inline-style.js';

/**
 * The page's own inline style comes back as it was after side by side (extension/content/page-fit/
 * inline-style.ts): its attribute byte for byte when the page left it alone, the page's later
 * changes kept when it did not. (The real browsers' cascade is checked in test/e2e/side-by-side.test.ts.)
 */
let root: HTMLElement;
beforeEach(() => {
  root = document.createElement('div');
});

it('sets the property !important, over the page’s own !important', () => {
  root.setAttribute('style', 'margin-right: 10px !important');
  overrideInline(root, 'margin-right', '384px');
  expect(root.style.getPropertyValue('margin-right')).toBe('384px');
  expect(root.style.getPropertyPriority('margin-right')).toBe('important');
});

it('removes the attribute again from an element that had none', () => {
  const put = overrideInline(root, 'margin-right', '384px');
  expect(root.hasAttribute('style')).toBe(true);
  put();
  expect(root.hasAttribute('style')).toBe(false);
});

for (const own of ['margin-right:24px', 'margin: 0 24px !important; color: red', 'MARGIN-RIGHT: 3em;--x:1', 'color:red', '']) {
  it(`gives back the page’s own attribute byte for byte: "${own}"`, () => {
    root.setAttribute('style', own);
    const put = overrideInline(root, 'margin-right', '384px');
    expect(root.getAttribute('style')).not.toBe(own);
    put();
    expect(root.getAttribute('style')).toBe(own);
  });
}

it('keeps what the page changed in its style meanwhile, and gives back its own value and priority', () => {
  root.setAttribute('style', 'margin-right: 24px !important; color: red');
  const put = overrideInline(root, 'margin-right', '384px');
  root.style.setProperty('overflow', 'hidden');
  put();
  expect(root.style.getPropertyValue('overflow')).toBe('hidden');
  expect(root.style.getPropertyValue('color')).toBe('red');
  expect(root.style.getPropertyValue('margin-right')).toBe('24px');
  expect(root.style.getPropertyPriority('margin-right')).toBe('important');
});

it('removes the property it added when the page changed the style meanwhile', () => {
  const put = overrideInline(root, 'margin-right', '384px');
  root.style.setProperty('overflow', 'hidden');
  put();
  expect(root.style.getPropertyValue('margin-right')).toBe('');
  expect(root.style.getPropertyValue('overflow')).toBe('hidden');
});

it('leaves the property alone when the page set it itself meanwhile', () => {
  root.setAttribute('style', 'margin-right: 24px');
  const put = overrideInline(root, 'margin-right', '384px');
  root.style.setProperty('margin-right', '50px');
  put();
  expect(root.style.getPropertyValue('margin-right')).toBe('50px');
  expect(root.style.getPropertyPriority('margin-right')).toBe('');
});
