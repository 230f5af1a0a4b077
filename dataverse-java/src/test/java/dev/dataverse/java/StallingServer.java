package dev.dataverse.java;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP/1.1 server for the one thing the emulator cannot do on demand: never answer. The first
 * {@code stalledRequests} requests are read and left unanswered; the server then watches their connections and reports
 * when the client hangs up, which is how a test observes that an HTTP exchange was cancelled. Later requests get a
 * {@code WhoAmI} answer, so a test can check that the client still works.
 */
final class StallingServer implements AutoCloseable {
    static final UUID USER_ID = UUID.fromString("11111111-2222-3333-4444-555555555555");

    private final ServerSocket server;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger toStall;
    private final CompletableFuture<Void> stalled = new CompletableFuture<>();
    private final CompletableFuture<Void> hungUp = new CompletableFuture<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    private final boolean midBody;

    StallingServer(int stalledRequests) throws IOException {
        this(stalledRequests, false);
    }

    /**
     * With {@code midBody}, a stalled request gets its response head and the first bytes of its body, then nothing: the
     * stall a request timeout that covers only the head (the JDK client's) does not catch.
     */
    StallingServer(int stalledRequests, boolean midBody) throws IOException {
        this.midBody = midBody;
        toStall = new AtomicInteger(stalledRequests);
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "stalling-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    int requests() {
        return requests.get();
    }

    /** Waits until a stalled request has fully reached the server. */
    void awaitStalledRequest() throws Exception {
        stalled.get(30, TimeUnit.SECONDS);
    }

    /** Waits until the client closed the connection of a stalled request: its exchange was cancelled. */
    void awaitClientHangUp() throws Exception {
        hungUp.get(30, TimeUnit.SECONDS);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                sockets.add(socket);
                Thread handler = new Thread(() -> serve(socket), "stalling-server-connection");
                handler.setDaemon(true);
                handler.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            while (readRequestHead(in)) {
                requests.incrementAndGet();
                if (toStall.getAndDecrement() > 0) {
                    if (midBody) {
                        out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\nOData-Version: 4.0\r\n"
                                + "Content-Length: 1000\r\n\r\n{\"UserId\":").getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    }
                    stalled.complete(null);
                    // Never answer; a read returning -1 (or failing) means the client closed the connection.
                    while (in.read() >= 0) {
                        // discard
                    }
                    hungUp.complete(null);
                    return;
                }
                byte[] body = ("{\"UserId\":\"" + USER_ID + "\",\"BusinessUnitId\":\"" + UUID.randomUUID()
                        + "\",\"OrganizationId\":\"" + UUID.randomUUID() + "\"}").getBytes(StandardCharsets.UTF_8);
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\nOData-Version: 4.0\r\n"
                        + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
            }
        } catch (IOException e) {
            hungUp.complete(null); // a reset is a hang-up too
        }
    }

    /** Reads one request head (GET requests only: no body); false at end of stream. */
    private static boolean readRequestHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) return false;
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : sockets) socket.close();
    }
}
