package dev.dataverse.transport

import io.ktor.network.tls.certificates.buildKeyStore
import java.net.InetAddress
import java.security.KeyStore
import javax.net.ssl.KeyManagerFactory
import javax.net.ssl.SSLContext
import javax.net.ssl.TrustManagerFactory
import javax.net.ssl.X509TrustManager

/** A self-signed certificate for `localhost` and 127.0.0.1, made once per test run, and the contexts that serve and trust it. */
object TestTls {
    private const val PASSWORD = "test-password"

    private val keyStore: KeyStore by lazy {
        buildKeyStore {
            certificate("server") {
                password = PASSWORD
                domains = listOf("localhost")
                ipAddresses = listOf(InetAddress.getLoopbackAddress())
            }
        }
    }

    /** Serves the self-signed certificate. */
    val serverContext: SSLContext by lazy {
        val keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm()).apply { init(keyStore, PASSWORD.toCharArray()) }
        SSLContext.getInstance("TLS").apply { init(keys.keyManagers, null, null) }
    }

    /** Trusts exactly the self-signed certificate. */
    val trustManager: X509TrustManager by lazy {
        val trusted = KeyStore.getInstance(KeyStore.getDefaultType()).apply {
            load(null, null)
            setCertificateEntry("server", keyStore.getCertificate("server"))
        }
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm()).apply { init(trusted) }
            .trustManagers.filterIsInstance<X509TrustManager>().single()
    }

    /** A client context trusting the self-signed certificate. */
    val clientContext: SSLContext by lazy { SSLContext.getInstance("TLS").apply { init(null, arrayOf(trustManager), null) } }
}
