export default async function globalTeardown() {
  const server = globalThis.__KEZEK_TEST_PG__;
  if (server) await server.stop();
}
