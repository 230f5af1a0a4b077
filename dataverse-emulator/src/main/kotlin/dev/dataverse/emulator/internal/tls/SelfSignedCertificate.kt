package dev.dataverse.emulator.internal.tls

import io.ktor.network.tls.certificates.buildKeyStore
import io.ktor.network.tls.extensions.HashAlgorithm
import io.ktor.network.tls.extensions.SignatureAlgorithm
import java.net.InetAddress
import java.security.KeyStore
import java.security.SecureRandom
import java.security.cert.X509Certificate
import java.util.Base64
import javax.net.ssl.KeyManagerFactory
import javax.net.ssl.SSLContext
import javax.net.ssl.TrustManagerFactory
import javax.net.ssl.X509TrustManager
import javax.security.auth.x500.X500Principal

/**
 * A key pair and a self-signed certificate for `127.0.0.1` and `localhost`, made when an emulator serving https starts.
 * Nothing is written to disk; the private key never leaves this object.
 */
internal class SelfSignedCertificate private constructor(private val keyStore: KeyStore) {
    val certificate: X509Certificate = keyStore.getCertificate(ALIAS) as X509Certificate

    /** The server side: presents the certificate. */
    fun serverContext(): SSLContext {
        val keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm())
        keys.init(keyStore, PASSWORD.toCharArray())
        return SSLContext.getInstance("TLS").apply { init(keys.keyManagers, null, SecureRandom()) }
    }

    /**
     * The trust manager that trusts this certificate, and only it. One instance, shared by every [clientContext]: trust
     * managers are immutable and thread-safe, and a caller who needs the pair (Ktor CIO takes the trust manager, the JDK
     * client the context) gets the very one the context was initialised with.
     */
    val clientTrustManager: X509TrustManager by lazy {
        val trust = KeyStore.getInstance(KeyStore.getDefaultType()).apply {
            load(null, null)
            setCertificateEntry(ALIAS, certificate)
        }
        val factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm())
        factory.init(trust)
        factory.trustManagers.filterIsInstance<X509TrustManager>().single()
    }

    /** A client side that trusts this certificate, and only it, through [clientTrustManager]. */
    fun clientContext(): SSLContext =
        SSLContext.getInstance("TLS").apply { init(null, arrayOf(clientTrustManager), SecureRandom()) }

    /** The certificate in PEM, as curl (`--cacert`), Python (`REQUESTS_CA_BUNDLE`) and `keytool -importcert` read it. */
    fun pem(): String = pem(certificate)

    companion object {
        private const val ALIAS = "dataverse-emulator"

        // Only guards the in-memory key store; the key is never written out.
        private const val PASSWORD = "dataverse-emulator"
        private const val DAYS_VALID = 30L
        private const val KEY_BITS = 2048

        /** Generates a fresh key pair (RSA 2048, SHA-256), valid from now for 30 days. */
        fun generate(): SelfSignedCertificate = SelfSignedCertificate(
            buildKeyStore {
                certificate(ALIAS) {
                    password = PASSWORD
                    hash = HashAlgorithm.SHA256
                    sign = SignatureAlgorithm.RSA
                    keySizeInBits = KEY_BITS
                    daysValid = DAYS_VALID
                    subject = X500Principal("CN=localhost, OU=Dataverse emulator, O=dev.dataverse")
                    domains = listOf("localhost")
                    ipAddresses = listOf(InetAddress.getByName("127.0.0.1"))
                }
            },
        )

        fun pem(certificate: X509Certificate): String {
            val body = Base64.getMimeEncoder(PEM_LINE, "\n".toByteArray()).encodeToString(certificate.encoded)
            return "-----BEGIN CERTIFICATE-----\n$body\n-----END CERTIFICATE-----\n"
        }

        private const val PEM_LINE = 64
    }
}
