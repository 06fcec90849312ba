import { startWmsSimulator } from "./server";

// A long-running simulator for manual exploration and the local sandbox:
//   npx tsx test/sim/wms/sandbox.ts        (WMS_SIM_PORT, WMS_SIM_SEED to override)
const sim = await startWmsSimulator({
  port: Number(process.env.WMS_SIM_PORT ?? 4010),
  seed: Number(process.env.WMS_SIM_SEED ?? 1),
  auto: { acknowledgeAfterMs: 500, pickAfterMs: 2_000, shipAfterMs: 5_000 },
  accounts: [
    {
      id: "demo",
      name: "Demo Home Goods",
      apiKey: "sk_test_demo",
      warehouses: [
        { code: "LAX1", name: "Los Angeles 1", country_code: "US", address: { city: "Ontario", province_code: "CA", postal_code: "91761" }, latitude: 34.06, longitude: -117.65, timezone: "America/Los_Angeles" },
        { code: "RTM1", name: "Rotterdam 1", country_code: "NL", address: { city: "Rotterdam", postal_code: "3089" }, latitude: 51.89, longitude: 4.42, timezone: "Europe/Amsterdam" },
      ],
      stock: [
        { warehouse: "LAX1", sku: "MUG-BLUE", sellable: 120 },
        { warehouse: "LAX1", sku: "MUG-RED", sellable: 8, damaged: 2 },
        { warehouse: "RTM1", sku: "MUG-BLUE", sellable: 40 },
        { warehouse: "RTM1", sku: "LAMP-OAK", sellable: 15 },
      ],
    },
  ],
});
console.log(`WMS simulator on ${sim.url} (API key sk_test_demo, seed ${sim.seed})`);
const shutdown = () => void sim.stop().then(() => process.exit(0));
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
