import SwaggerParser from '@apidevtools/swagger-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOOK_FIELDS } from '../../../companion/routes/compat.js';
import { HIDDEN_BY_HEADER, HIDDEN_RESULTS_HEADER, INCLUDE_HIDDEN_PARAM } from '../../../shared/api.js';
import { startTestCompanion, type TestCompanion } from '../../helpers/test-companion.js';
import { startWorld, type World } from '../../world/start-world.js';

type Doc = {
  servers?: Array<{ url: string }>;
  paths: Record<string, Record<string, any>>;
  components: { schemas: Record<string, any> };
};

describe('GET /api/openapi.json', () => {
  let world: World;
  let t: TestCompanion;
  let doc: Doc;

  beforeAll(async () => {
    world = await startWorld({ countdownSeconds: 0 });
    t = await startTestCompanion(world, { start: false });
    const res = await t.companion.app.request('/api/openapi.json');
    expect(res.status).toBe(200);
    doc = (await res.json()) as Doc;
  });
  afterAll(async () => {
    await t.close();
    await world.close();
  });

  it('is a valid OpenAPI document (checked by a real validator against the OpenAPI 3.1 schema, refs resolved)', async () => {
    // validate() dereferences in place: give it a copy.
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeTruthy();
  });

  it('every path template parameter is declared as a path parameter', () => {
    for (const [path, item] of Object.entries(doc.paths)) {
      const names = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      for (const [method, operation] of Object.entries(item)) {
        const declared = [...(item.parameters ?? []), ...(operation.parameters ?? [])]
          .filter((p: { in: string }) => p.in === 'path')
          .map((p: { name: string }) => p.name);
        for (const name of names) expect(declared, `${method.toUpperCase()} ${path}`).toContain(name);
      }
    }
  });

  it('names a server, and describes /api/status, every BookInfo field and the auth bodies', () => {
    expect(doc.servers?.length).toBeGreaterThan(0);
    const status = doc.paths['/api/status'].get.responses['200'].content['application/json'].schema;
    expect(status.$ref ?? status.type).toBeTruthy();
    const statusSchema = status.$ref ? doc.components.schemas[status.$ref.split('/').pop()] : status;
    expect(Object.keys(statusSchema.properties)).toEqual([
      'available',
      'cancelled',
      'done',
      'downloading',
      'error',
      'queued',
    ]);
    const bookFields = Object.keys(doc.components.schemas.BookInfo.properties).sort();
    // Every field /api/status sends for a book.
    const sent = [...BOOK_FIELDS].sort();
    expect(bookFields).toEqual(expect.arrayContaining(sent));
    for (const path of ['/api/auth/login', '/api/auth/tokens', '/api/auth/password', '/api/pair']) {
      expect(doc.paths[path].post.requestBody?.content['application/json'].schema, path).toBeTruthy();
    }
  });

  it('documents the watched-shelf routes the web UI and the extension call', () => {
    expect(Object.keys(doc.paths['/api/lists'])).toEqual(['get', 'post']);
    expect(Object.keys(doc.paths['/api/lists/{id}'])).toEqual(expect.arrayContaining(['patch', 'delete']));
    expect(doc.paths['/api/lists/{id}/check'].post.responses['409']).toBeTruthy();
    expect(doc.paths['/api/lists/{id}/entries'].post).toBeTruthy();
    expect(doc.paths['/api/lists/{id}/runs'].get).toBeTruthy();
  });

  it('documents include_hidden and the hidden-results headers of /api/search', () => {
    const search = doc.paths['/api/search'].get;
    expect(search.parameters.map((p: { name: string }) => p.name)).toContain(INCLUDE_HIDDEN_PARAM);
    expect(Object.keys(search.responses['200'].headers)).toEqual(
      expect.arrayContaining([HIDDEN_RESULTS_HEADER, HIDDEN_BY_HEADER]),
    );
  });
});
