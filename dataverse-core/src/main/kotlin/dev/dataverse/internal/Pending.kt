package dev.dataverse.internal
import dev.dataverse.*
import dev.dataverse.internal.transport.HttpTransport
internal class RealTables(t: HttpTransport, m: TableMetadataCache, s: ClientSettings) : Tables by (null as Tables)
