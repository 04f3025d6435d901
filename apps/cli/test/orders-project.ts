/**
 * The specs and test set of the small "orders" project that the plugin-template and registry
 * tests run end to end: table `orders` (id, amount) of domain `shop`, stage `test`, instance
 * `main`, holding (1, 10.50), (2, 20.00), (3, 7.25). `extraCases` are appended to the test set.
 */
export function ordersProjectFiles(extraCases: string[] = []): Record<string, string> {
  return {
    "specs/shop/test/orders.schema.yaml": "columns:\n  - { name: id, type: int, pk: true }\n  - { name: amount, type: \"decimal(10,2)\" }\n",
    "specs/shop/test/orders.rowcount.sql": "SELECT 3\n",
    "specs/shop/test/orders.compare.sql": "SELECT * FROM (VALUES (1, 10.50), (2, 20.00), (3, 7.25)) AS t(id, amount)\n",
    "testsets/orders.yaml": [
      "name: Orders",
      "domain: shop",
      "stage: test",
      "instance: main",
      "testcases:",
      "  - { object: orders, type: schema }",
      "  - { object: orders, type: rowcount }",
      "  - { object: orders, type: compare }",
      ...extraCases,
      "",
    ].join("\n"),
  };
}
