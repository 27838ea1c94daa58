import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;

/**
 * Runs Neo4j Community embedded with its Bolt connector on 127.0.0.1, authentication on.
 *
 * Usage: LIKENESS_NEO4J_PASSWORD=... java -cp CLASSPATH Neo4jLauncher.java DATA_DIR BOLT_PORT [PAGECACHE]
 * The user `neo4j` gets that password: when it is not the one set last time, the DBMS is first started
 * with Bolt off, the password set through the system database, and stopped, so no client ever meets a
 * default password. Stops cleanly on SIGTERM/SIGINT through a JVM shutdown hook.
 * LIKENESS_NEO4J_EXTRA_CONFIG (optional): more settings, `name=value` one a line.
 */
public class Neo4jLauncher {
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: Neo4jLauncher DATA_DIR BOLT_PORT [PAGECACHE]");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        String port = args[1];
        String pageCache = args.length > 2 ? args[2] : "256m";
        String password = System.getenv("LIKENESS_NEO4J_PASSWORD");
        if (password == null || password.length() < 8) {
            System.err.println("Neo4jLauncher: set LIKENESS_NEO4J_PASSWORD (8 characters or more)");
            System.exit(2);
        }
        Files.createDirectories(home);

        Map<String, String> config = new HashMap<>();
        config.put("server.bolt.enabled", "true");
        config.put("server.bolt.listen_address", "127.0.0.1:" + port);
        config.put("server.bolt.advertised_address", "127.0.0.1:" + port);
        config.put("server.http.enabled", "false");
        config.put("server.https.enabled", "false");
        // Only reachable on loopback, and even there only with the password kept in the data folder.
        config.put("dbms.security.auth_enabled", "true");
        config.put("server.memory.pagecache.size", pageCache);
        config.put("db.tx_log.preallocate", "false");
        config.put("db.tx_log.rotation.retention_policy", "2 files");
        config.put("server.directories.logs", home.resolve("logs").toString());
        config.put("dbms.usage_report.enabled", "false");
        // Settings a caller adds, one `name=value` a line (the benchmark's own Neo4j: APOC's plugin
        // folder and its procedures allowed); the tests' and the dev server pass none.
        String extra = System.getenv("LIKENESS_NEO4J_EXTRA_CONFIG");
        if (extra != null) {
            for (String line : extra.split("\n")) {
                int equals = line.indexOf('=');
                if (equals > 0) {
                    config.put(line.substring(0, equals).strip(), line.substring(equals + 1).strip());
                }
            }
        }

        Path confFile = home.resolve("neo4j.conf");
        Path passwordSet = home.resolve("password-set.sha256");
        String digest = HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.UTF_8)));
        if (!Files.exists(passwordSet) || !Files.readString(passwordSet).strip().equals(digest)) {
            Map<String, String> closed = new HashMap<>(config);
            closed.put("server.bolt.enabled", "false");
            writeConf(confFile, closed);
            DatabaseManagementService setup = new DatabaseManagementServiceBuilder(home)
                    .loadPropertiesFromFile(confFile)
                    .build();
            try {
                setup.database("system").executeTransactionally(
                        "ALTER USER neo4j SET PLAINTEXT PASSWORD $password CHANGE NOT REQUIRED",
                        Map.of("password", password));
            } catch (RuntimeException error) {
                // setting the password it already has is refused; anything else is a real failure
                if (!String.valueOf(error.getMessage()).contains("cannot be the same")) {
                    throw error;
                }
            } finally {
                setup.shutdown();
            }
            Files.writeString(passwordSet, digest + "\n");
            System.out.println("neo4j-launcher: password of user neo4j set");
        }
        writeConf(confFile, config);
        DatabaseManagementService service = new DatabaseManagementServiceBuilder(home)
                .loadPropertiesFromFile(confFile)
                .build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("neo4j-launcher: shutting down");
            service.shutdown();
            stopped.countDown();
        }));
        System.out.println("neo4j-launcher: bolt listening on 127.0.0.1:" + port + ", data in " + home);
        stopped.await();
    }

    private static void writeConf(Path confFile, Map<String, String> config) throws Exception {
        StringBuilder conf = new StringBuilder();
        config.forEach((key, value) -> conf.append(key).append('=').append(value).append('\n'));
        Files.writeString(confFile, conf.toString());
    }
}
