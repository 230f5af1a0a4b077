package dev.dataverse;

/** Whether a message is an action or a function. */
public enum MessageKind {
    /** Sent as {@code POST} with its parameters in a JSON body; may change data. */
    ACTION,

    /** Sent as {@code GET} with its parameters as aliases in the URL; no side effects. */
    FUNCTION;
}
