package dev.dataverse.spring.internal

import org.springframework.validation.BindingResult
import org.springframework.validation.Errors
import org.springframework.validation.FieldError

/** Records a property's validation error; for a secret property, without its value. */
internal object FieldErrors {
    /**
     * Rejects [field] with [message]. `Errors.rejectValue` would read the field's value and keep it as the error's
     * rejected value, which Spring Boot prints in its startup failure report (`Value: "..."`) and in the exception's
     * message (`rejected value [...]`). For a secret ([Secrets.isSecretField]) the error is added with a masked value.
     */
    fun reject(errors: Errors, field: String, message: String, code: String = "invalid") {
        if (!Secrets.isSecretField(field)) {
            errors.rejectValue(field, code, message)
        } else if (errors is BindingResult) {
            val path = errors.nestedPath + field
            errors.addError(FieldError(errors.objectName, path, Secrets.MASKED, false, errors.resolveMessageCodes(code, field), null, message))
        } else {
            errors.reject(code, "$field: $message")
        }
    }
}
