package dev.dataverse.internal.protocol

/** [length] bytes of [bytes] from [offset]: one piece of a binary request body. */
internal class BinaryPiece(val bytes: ByteArray, val offset: Int, val length: Int)
