package newsgraph.neo4jserver;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.io.ByteUnit;

/**
 * A Neo4j Community DBMS for newsgraph's tests and local use: Bolt on 127.0.0.1:PORT without TLS,
 * the user neo4j with the given password, data under DIR. Prints "ready bolt://127.0.0.1:PORT" once
 * Bolt accepts connections, and shuts the DBMS down cleanly on SIGTERM or SIGINT.
 */
public final class Main {
    private static final String USAGE =
            "usage: run --port PORT --data DIR [--password PW] [--pagecache MB]";

    private Main() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("neo4j-server: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        int port = Integer.parseInt(options.get("port"));
        Path data = Path.of(options.get("data")).toAbsolutePath();
        String password = options.getOrDefault("password", "newsgraph-test");
        long pagecache = Long.parseLong(options.getOrDefault("pagecache", "64"));
        if (password.length() < 8) {
            // Neo4j's own minimum (dbms.security.auth_minimum_password_length).
            System.err.println("neo4j-server: the password needs 8 characters or more");
            System.exit(2);
        }
        Files.createDirectories(data);

        SocketAddress bolt = new SocketAddress("127.0.0.1", port);
        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(data)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, bolt)
                .setConfig(BoltConnector.advertised_address, bolt)
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                // Bolt waits 5 s twice for idle threads and connections on shutdown; 1 s will do here.
                .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofSeconds(1))
                .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofSeconds(1))
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(pagecache))
                .build();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("neo4j-server: stopping");
            dbms.shutdown();
            System.err.println("neo4j-server: stopped");
            stopped.countDown();
        }, "neo4j-server-shutdown"));

        try {
            setPassword(dbms, password);
            waitForBolt(port);
        } catch (RuntimeException e) {
            System.err.println("neo4j-server: " + e.getMessage());
            System.exit(1); // the shutdown hook stops the DBMS
        }
        System.out.println("ready bolt://127.0.0.1:" + port);
        System.out.flush();
        stopped.await();
    }

    /** The built-in user's password is the given one, whatever an earlier run set, and needs no change. */
    private static void setPassword(DatabaseManagementService dbms, String password) {
        GraphDatabaseService system = dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
        try {
            system.executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED", Map.of("password", password));
        } catch (RuntimeException e) {
            // Neo4j refuses to set the password a user already has: then it is already right.
            if (!String.valueOf(e.getMessage()).contains("Old password and new password cannot be the same")) {
                throw e;
            }
            system.executeTransactionally("ALTER USER neo4j SET PASSWORD CHANGE NOT REQUIRED");
        }
    }

    private static void waitForBolt(int port) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Bolt did not accept connections on port " + port);
                }
                Thread.sleep(100);
            }
        }
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("unexpected argument: " + arg);
            }
            String key = arg.substring(2);
            if (!Set.of("port", "data", "password", "pagecache").contains(key)) {
                throw new IllegalArgumentException("unknown option: " + arg);
            }
            options.put(key, args[++i]);
        }
        for (String required : new String[] {"port", "data"}) {
            if (!options.containsKey(required)) {
                throw new IllegalArgumentException("--" + required + " is required");
            }
        }
        try {
            int port = Integer.parseInt(options.get("port"));
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            Long.parseLong(options.getOrDefault("pagecache", "64"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--port and --pagecache take whole numbers");
        }
        return options;
    }
}
