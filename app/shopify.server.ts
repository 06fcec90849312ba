import "@shopify/shopify-app-remix/adapters/node";
import {
  ApiVersion,
  AppDistribution,
  shopifyApp,
} from "@shopify/shopify-app-remix/server";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import db from "./db.server";
import { appConfig } from "./config.server";
import { installSandboxFetch } from "./sandbox.server";

export const API_VERSION = ApiVersion.July26;

const config = appConfig();

// Local sandbox only (npm run sandbox): Shopify traffic goes to the simulator on this machine.
installSandboxFetch();

const shopify = shopifyApp({
  apiKey: config.apiKey,
  apiSecretKey: config.apiSecret,
  apiVersion: API_VERSION,
  scopes: config.scopes,
  appUrl: config.appUrl,
  authPathPrefix: "/auth",
  sessionStorage: new PrismaSessionStorage(db),
  distribution: AppDistribution.AppStore,
  isEmbeddedApp: true,
  future: {
    // Token exchange: the embedded admin hands us a session token, no OAuth redirect dance.
    unstable_newEmbeddedAuthStrategy: true,
    // Offline tokens expire and are refreshed with their refresh token.
    expiringOfflineAccessTokens: true,
  },
  ...(config.customShopDomains.length ? { customShopDomains: config.customShopDomains } : {}),
});

export default shopify;
export const apiVersion = API_VERSION;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const registerWebhooks = shopify.registerWebhooks;
export const sessionStorage = shopify.sessionStorage;
