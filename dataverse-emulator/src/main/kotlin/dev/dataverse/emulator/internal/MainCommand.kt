package dev.dataverse.emulator.internal

import dev.dataverse.emulator.EmulatorOptions
import java.nio.file.Path

/** What the emulator's command line asks for; see `EmulatorMain.parse`. */
internal sealed interface MainCommand {
    data class Serve(val options: EmulatorOptions, val certificateOut: Path? = null) : MainCommand
    data object Help : MainCommand
    data class Invalid(val message: String) : MainCommand
}
