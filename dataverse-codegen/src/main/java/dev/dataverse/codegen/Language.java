package dev.dataverse.codegen;

import java.util.Locale;

/** The language {@link CodeGenerator} writes. */
public enum Language {
    /** Kotlin: data classes, {@code @JvmInline} value classes for ids, enums; the companion is the table model. */
    KOTLIN,

    /** Java 11+: final immutable classes with builders, enums; the table model is the static {@code MODEL}. */
    JAVA;

    /**
     * The language named {@code name} ({@code kotlin} or {@code java}, any case).
     *
     * @throws CodegenException for any other name
     */
    public static Language of(String name) {
        for (Language language : values()) {
            if (name != null && language.name().equals(name.toUpperCase(Locale.ROOT))) {
                return language;
            }
        }
        throw new CodegenException("Unknown language '" + name + "': use kotlin or java.", null);
    }
}
