package dev.dataverse.internal
import dev.dataverse.*
import dev.dataverse.internal.transport.HttpTransport
internal class RealFiles(t: HttpTransport, m: TableMetadataCache) : Files by (null as Files)
