// Small hooks shared by the screens.
import { useState, useEffect, useRef, useCallback } from '/vendor/standalone.module.js';
import { api } from './api.js';

export const POLL_MS = 5000;

export function useNow(ms = 1000) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}

/** A list that refreshes itself every few seconds; `reload` asks again now. */
export function useLiveList(url) {
  const [page, setPage] = useState(undefined);
  const [error, setError] = useState('');
  // Only the latest request's answer counts: a slow one for the old filters must not overwrite.
  const latest = useRef(0);
  const load = useCallback(async () => {
    const seq = ++latest.current;
    try {
      const p = await api('GET', url);
      if (seq !== latest.current) return;
      setPage(p);
      setError('');
    } catch (err) {
      if (seq === latest.current) setError(err.message);
    }
  }, [url]);
  useEffect(() => {
    void load();
    const t = setInterval(load, POLL_MS);
    return () => clearInterval(t);
  }, [load]);
  return { page, setPage, error, reload: load };
}

/**
 * The address's hash, and the one before the last change as it really was (screens keep their
 * filters in it with replaceState, which fires no event: the old URL of hashchange has them).
 */
export function useHash() {
  const [state, setState] = useState({ hash: location.hash, previous: '' });
  useEffect(() => {
    const on = (e) => setState({ hash: location.hash, previous: new URL(e.oldURL).hash });
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return state;
}

/** Screen state kept in the address (#/search?q=…), so «назад» and «← к списку» bring it back. */
export function useHashState(initial) {
  const read = () => {
    const i = location.hash.indexOf('?');
    if (i < 0) return initial;
    const p = new URLSearchParams(location.hash.slice(i + 1));
    const out = { ...initial };
    for (const k of new Set(p.keys())) {
      const all = p.getAll(k);
      out[k] = k === 'territory' ? all : all[0];
    }
    return out;
  };
  const [state, setState] = useState(read);
  const set = useCallback((next) => {
    setState(next);
    const base = location.hash.split('?')[0] || '#/';
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(next)) {
      if (v === undefined || v === '' || v === false) continue;
      if (Array.isArray(v)) v.forEach((x) => q.append(k, x));
      else q.set(k, String(v));
    }
    const s = q.toString();
    history.replaceState(null, '', s ? `${base}?${s}` : base);
  }, []);
  return [state, set];
}

/** Keys for a screen, ignored while the user types in a field (except Escape). */
export function useKeys(handler, deps) {
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => {
    const on = (e) => {
      const t = e.target;
      const typing = t instanceof HTMLElement && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable);
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (typing && e.key !== 'Escape') return;
      ref.current(e);
    };
    addEventListener('keydown', on);
    return () => removeEventListener('keydown', on);
  }, deps);
}
