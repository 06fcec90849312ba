// Shopify calls <callbackUrl>/fetch_stock.json in practice: the same answer.
export { loader } from "./fulfillment-service.$warehouseId.fetch_stock";
