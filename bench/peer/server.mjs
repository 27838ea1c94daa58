// The peer in the benchmark: @neo4j/graphql on Apollo Server (standalone), over the same Neo4j the
// benchmark loaded. bench/peer.py installs it (npm ci) and starts it; by hand:
//
//   NEO4J_URI=bolt://127.0.0.1:7687 NEO4J_PASSWORD=… node server.mjs [--port 4000] [--type-defs FILE]
//
// Settings: NEO4J_URI (or --uri), NEO4J_USER (neo4j), NEO4J_PASSWORD, NEO4J_DATABASE (neo4j), PORT (or
// --port; 0 picks a free one). The password travels in the environment only. Prints one line
// `peer ready <url>` on stdout once it serves; exits non-zero when the database lacks what
// @neo4j/graphql needs (APOC core's functions), so a missing plugin is an error, not a slow surprise.

import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { Neo4jGraphQL } from "@neo4j/graphql";
import neo4j from "neo4j-driver";

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
    options: {
        uri: { type: "string" },
        port: { type: "string" },
        "type-defs": { type: "string" },
    },
});
const uri = values.uri ?? process.env.NEO4J_URI;
const user = process.env.NEO4J_USER ?? "neo4j";
const password = process.env.NEO4J_PASSWORD ?? "";
const database = process.env.NEO4J_DATABASE ?? "neo4j";
const port = Number(values.port ?? process.env.PORT ?? 4000);
if (!uri) {
    console.error("peer: set NEO4J_URI (or pass --uri) to the Bolt URI of the database to serve");
    process.exit(2);
}

const typeDefs = readFileSync(values["type-defs"] ?? join(here, "typeDefs.graphql"), "utf8");
const driver = neo4j.driver(uri, neo4j.auth.basic(user, password));
const sessionConfig = { database };
const neoSchema = new Neo4jGraphQL({ typeDefs, driver });
try {
    const schema = await neoSchema.getSchema();
    // the Neo4j version and APOC core's functions (apoc.date.convertFormat formats every DateTime)
    await neoSchema.checkNeo4jCompat({ sessionConfig });
    const server = new ApolloServer({ schema, introspection: true });
    const { url } = await startStandaloneServer(server, {
        listen: { host: "127.0.0.1", port },
        context: async () => ({ sessionConfig }),
    });
    const stop = async () => {
        await server.stop();
        await driver.close();
        process.exit(0);
    };
    process.on("SIGTERM", stop);
    process.on("SIGINT", stop);
    console.log(`peer ready ${url}`);
} catch (error) {
    console.error(`peer: ${error?.message ?? error}`);
    await driver.close();
    process.exit(1);
}
