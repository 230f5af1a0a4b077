package dev.dataverse

/**
 * How [FileColumns.upload] sends a file.
 *
 * Kotlin: `UploadOptions(contentType = "application/pdf", onProgress = { println(it.transferredBytes) })`.
 * Java: `UploadOptions.builder().contentType("application/pdf").onProgress(p -> ...).build()`.
 */
public class UploadOptions(
    /** The content's MIME type; by default guessed from the file name, else `application/octet-stream`. */
    public val contentType: String? = null,
    /**
     * The content's size in bytes, when the source is a stream or flow and the size is known. It lets the client check
     * the column's size limit before sending and use the column-level chunked upload; without it the client uploads in
     * blocks and learns the size at the end. Ignored for a `Path`, whose size the client reads itself.
     */
    public val size: Long? = null,
    /**
     * Replace a file the column already holds (the default). `false` reads the column first and fails with
     * [PreconditionFailedException] when it holds a file; the service has no conditional upload, so another writer that
     * stores a file between that read and this upload's commit is still replaced.
     */
    public val overwrite: Boolean = true,
    /** Called after each chunk is sent; see [TransferProgressListener]. */
    public val onProgress: TransferProgressListener? = null,
) {
    init {
        if (contentType != null && !MIME_TYPE.matches(contentType)) {
            throw InvalidInputException("'contentType' must be a MIME type like application/pdf, but was '$contentType'.")
        }
        if (size != null && size < 0) throw InvalidInputException("'size' cannot be negative, but was $size.")
    }

    override fun toString(): String = "UploadOptions(contentType=$contentType, size=$size, overwrite=$overwrite)"

    /** Fluent builder for Java callers. */
    public class Builder public constructor() {
        private var contentType: String? = null
        private var size: Long? = null
        private var overwrite = true
        private var onProgress: TransferProgressListener? = null

        /** @see UploadOptions.contentType */
        public fun contentType(contentType: String?): Builder = apply { this.contentType = contentType }

        /** @see UploadOptions.size */
        public fun size(size: Long): Builder = apply { this.size = size }

        /** @see UploadOptions.overwrite */
        public fun overwrite(overwrite: Boolean): Builder = apply { this.overwrite = overwrite }

        /** @see UploadOptions.onProgress */
        public fun onProgress(listener: TransferProgressListener?): Builder = apply { onProgress = listener }

        /** Validates and builds the options. */
        public fun build(): UploadOptions = UploadOptions(contentType, size, overwrite, onProgress)
    }

    public companion object {
        private val MIME_TYPE = Regex("[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*")

        /** Content type from the file name, overwrite allowed, no progress. */
        @JvmField
        public val DEFAULT: UploadOptions = UploadOptions()

        /** A builder starting from [DEFAULT]. */
        @JvmStatic
        public fun builder(): Builder = Builder()
    }
}

/** How [FileColumns.download] reads a file. */
public class DownloadOptions @JvmOverloads constructor(
    /** Bytes per request, 64 KiB..16 MiB; the default is 4 MiB, the service's own chunk size. */
    public val chunkSize: Int = DEFAULT_CHUNK_SIZE,
    /** Called after each chunk is received; see [TransferProgressListener]. */
    public val onProgress: TransferProgressListener? = null,
) {
    init {
        if (chunkSize !in MIN_CHUNK_SIZE..MAX_CHUNK_SIZE) {
            throw InvalidInputException("'chunkSize' must be between $MIN_CHUNK_SIZE and $MAX_CHUNK_SIZE, but was $chunkSize.")
        }
    }

    override fun toString(): String = "DownloadOptions(chunkSize=$chunkSize)"

    public companion object {
        /** 4 MiB. */
        public const val DEFAULT_CHUNK_SIZE: Int = 4 * 1024 * 1024

        /** 64 KiB. */
        public const val MIN_CHUNK_SIZE: Int = 64 * 1024

        /** 16 MiB. */
        public const val MAX_CHUNK_SIZE: Int = 16 * 1024 * 1024

        /** 4 MiB chunks, no progress. */
        @JvmField
        public val DEFAULT: DownloadOptions = DownloadOptions()
    }
}

/** What a file column holds: the stored name, size and content type. */
public class FileInfo public constructor(
    /**
     * The file name given when it was uploaded, as the service reports it (`x-ms-file-name`). Untrusted: whoever
     * uploaded the file chose it, so it may hold `../`, a drive letter, an absolute path or a reserved device name.
     * Show it or compare it, but never use it as (part of) a local path; the client never does — downloads are written
     * only where the caller's own [java.nio.file.Path] says.
     */
    public val fileName: String,
    /** The size in bytes. */
    public val size: Long,
    /** The MIME type; `null` when the service did not report one. */
    public val contentType: String?,
) {
    override fun equals(other: Any?): Boolean =
        other is FileInfo && other.fileName == fileName && other.size == size && other.contentType == contentType

    override fun hashCode(): Int = fileName.hashCode() * 31 + size.hashCode()

    override fun toString(): String = "FileInfo($fileName, $size bytes, $contentType)"
}

/** Receives [TransferProgress] after each chunk of an upload or download, on the transferring coroutine. Keep it quick. */
public fun interface TransferProgressListener {
    /** Called after each chunk. */
    public fun onProgress(progress: TransferProgress)
}

/** How far a transfer has come. */
public class TransferProgress public constructor(
    /** Bytes sent or received so far. */
    public val transferredBytes: Long,
    /** The total, when known. */
    public val totalBytes: Long?,
) {
    override fun toString(): String = "TransferProgress($transferredBytes of ${totalBytes ?: "?"})"
}
