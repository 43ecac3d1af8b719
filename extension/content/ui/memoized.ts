import { Component, h, type FunctionComponent } from 'preact';

/**
 * `Inner` rendered again only when `same(previous props, next props)` says its props changed: a
 * class with shouldComponentUpdate, which is what preact/compat's `memo` is, without importing
 * compat (which changes how every element's props are read). The inner component's own state and
 * effects run as before; this only skips renders its parent asked for with equal props.
 */
export function memoized<P extends object>(Inner: FunctionComponent<P>, same: (previous: P, next: P) => boolean): FunctionComponent<P> {
  class Memo extends Component<P> {
    override shouldComponentUpdate(next: P): boolean {
      return !same(this.props, next);
    }

    override render(props: P) {
      return h(Inner, props);
    }
  }
  return Memo as unknown as FunctionComponent<P>;
}
