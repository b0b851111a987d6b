/**
 * The API's interactive docs (issue "REST endpoints"): GET /docs renders Swagger UI from /openapi.json and
 * shows the operations, grouped by tag, without a console error.
 */
import { expect, shot, test } from './fixtures.js';

const OPERATIONS: Array<[method: string, path: string]> = [
  ['POST', '/auth/signup'],
  ['POST', '/auth/signin'],
  ['POST', '/auth/tenants'],
  ['GET', '/tenant-status/{id}'],
  ['GET', '/api/v1/tenant'],
  ['GET', '/api/v1/tenants/{id}/members'],
  ['DELETE', '/api/v1/tenants/{id}/members/{email}'],
  ['PUT', '/api/v1/tenants/{id}/config'],
  ['GET', '/api/v1/plans'],
];

test('GET /docs shows the REST operations from the OpenAPI document', async ({ page }, testInfo) => {
  await page.goto('/docs');
  await expect(page.locator('.swagger-ui .info .title')).toContainText('Tenantry API');

  for (const [method, path] of OPERATIONS) {
    const operation = page
      .locator('.opblock')
      .filter({ has: page.locator('.opblock-summary-method', { hasText: new RegExp(`^${method}$`) }) })
      .filter({ has: page.locator(`.opblock-summary-path[data-path="${path}"]`) });
    await expect(operation, `${method} ${path}`).toHaveCount(1);
  }
  // Authorize offers both schemes: the bearer token and the tenant header.
  await page
    .getByRole('button', { name: /Authorize/ })
    .first()
    .click();
  await expect(page.locator('.modal-ux')).toContainText('bearer');
  await expect(page.locator('.modal-ux')).toContainText('X-Tenant-ID', { ignoreCase: true });
  await page.locator('.modal-ux .close-modal').click();

  // An operation opens with its parameters and responses, documented statuses included.
  const members = page.locator('.opblock').filter({
    has: page.locator('.opblock-summary-path[data-path="/api/v1/tenants/{id}/members"]'),
  });
  await members
    .filter({ has: page.locator('.opblock-summary-method', { hasText: /^GET$/ }) })
    .locator('.opblock-summary')
    .click();
  const opened = page.locator('.opblock.is-open');
  await expect(opened.locator('.parameters')).toContainText('id');
  await expect(opened.locator('.responses-table')).toContainText('423');
  await shot(page, testInfo, 'docs');
});
