import type { Express } from 'express';

export interface RouteEntry {
  method: string;
  path: string;
}

interface LayerLike {
  rawPath?: unknown;
  route?: { path: unknown; methods: Record<string, boolean> };
  handle?: { stack?: LayerLike[]; router?: { stack?: LayerLike[] } };
  name?: string;
}

function join(base: string, p: string): string {
  const out = `${base.replace(/\/$/, '')}/${p.replace(/^\//, '')}`;
  return out === '' ? '/' : out;
}

/**
 * Every route registered on the real app, found by walking express 5's router stack (nested
 * routers included). Static file mounts appear as GET of their mount path.
 */
export function walkRoutes(app: Express): RouteEntry[] {
  const out: RouteEntry[] = [];
  const visit = (stack: LayerLike[], base: string) => {
    for (const layer of stack) {
      const raw = typeof layer.rawPath === 'string' ? layer.rawPath : '/';
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        for (const p of paths) {
          for (const m of Object.keys(layer.route.methods)) if (m !== '_all') out.push({ method: m.toUpperCase(), path: join(base, String(p)) });
        }
      } else if (layer.handle?.stack || layer.handle?.router?.stack) {
        // A Router has .stack; a mounted express app (Bull Board) has .router.stack.
        visit((layer.handle.stack ?? layer.handle.router!.stack)!, raw === '/' ? base : join(base, raw));
      } else if (layer.name === 'serveStatic') {
        out.push({ method: 'GET', path: join(base, raw) });
      }
    }
  };
  visit((app as unknown as { router: { stack: LayerLike[] } }).router.stack, '');
  return out;
}

/** A concrete URL for a route pattern: parameters get plausible values, wildcards a file name. */
export function concrete(path: string): string {
  return path
    .replace(/\{\/?\*[A-Za-z]+\}/g, '/x')
    .replace(/\*[A-Za-z]*/g, 'x')
    .replace(/:ip\b/g, '203.0.113.1')
    .replace(/:id\b/g, '6f1c2d4e-0000-4000-8000-000000000000')
    .replace(/:[A-Za-z]+/g, 'x')
    .replace(/[{}]/g, '');
}
