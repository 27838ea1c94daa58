import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;

/**
 * Runs Neo4j Community embedded with its Bolt connector on 127.0.0.1.
 *
 * Usage: java -cp CLASSPATH Neo4jLauncher.java DATA_DIR BOLT_PORT [PAGECACHE]
 * Stops cleanly on SIGTERM/SIGINT through a JVM shutdown hook.
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
        Files.createDirectories(home);

        Map<String, String> config = new HashMap<>();
        config.put("server.bolt.enabled", "true");
        config.put("server.bolt.listen_address", "127.0.0.1:" + port);
        config.put("server.bolt.advertised_address", "127.0.0.1:" + port);
        config.put("server.http.enabled", "false");
        config.put("server.https.enabled", "false");
        // Only reachable on loopback; the project's own process is the one client.
        config.put("dbms.security.auth_enabled", "false");
        config.put("server.memory.pagecache.size", pageCache);
        config.put("db.tx_log.preallocate", "false");
        config.put("db.tx_log.rotation.retention_policy", "2 files");
        config.put("server.directories.logs", home.resolve("logs").toString());
        config.put("dbms.usage_report.enabled", "false");

        StringBuilder conf = new StringBuilder();
        config.forEach((key, value) -> conf.append(key).append('=').append(value).append('\n'));
        Path confFile = home.resolve("neo4j.conf");
        Files.writeString(confFile, conf.toString());
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
}
