package dev.dataverse.spring.internal

import dev.dataverse.DataverseClient
import dev.dataverse.spring.DataverseConnectionDetails
import dev.dataverse.spring.DataverseProperties
import org.springframework.beans.factory.BeanClassLoaderAware
import org.springframework.beans.factory.BeanFactory
import org.springframework.beans.factory.support.BeanDefinitionRegistry
import org.springframework.beans.factory.support.RootBeanDefinition
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar
import org.springframework.core.type.AnnotationMetadata
import org.springframework.util.ClassUtils
import java.lang.reflect.InvocationHandler
import java.lang.reflect.Method
import java.lang.reflect.Proxy

/**
 * The health indicator for Spring Boot 3.5, whose health types (`org.springframework.boot.actuate.health`) are not those
 * of Boot 4 (`org.springframework.boot.health`) this module is compiled against. The indicator is a proxy of Boot 3's
 * `HealthIndicator` interface over [DataverseHealthCheck], building Boot 3's `Health` reflectively: three public types
 * (`HealthIndicator`, `Health.Builder`, `Status`) that Boot 3 has kept since 2.0.
 */
internal class Boot3Health(private val loader: ClassLoader?) {
    private val indicatorType: Class<*> = ClassUtils.forName(INDICATOR, loader)
    private val statusType: Class<*> = ClassUtils.forName(STATUS, loader)
    private val builder = ClassUtils.forName(BUILDER, loader).getConstructor(statusType, Map::class.java)
    private val build: Method = builder.declaringClass.getMethod("build")

    /** Boot 3's `Health` for [result]. */
    fun health(result: HealthResult): Any = build.invoke(builder.newInstance(statusType.getField(result.status.name).get(null), result.details))

    /** A Boot 3 `HealthIndicator` answering from [check]. */
    fun indicator(check: DataverseHealthCheck): Any =
        Proxy.newProxyInstance(indicatorType.classLoader, arrayOf(indicatorType), Handler(check))

    private inner class Handler(private val check: DataverseHealthCheck) : InvocationHandler {
        override fun invoke(proxy: Any, method: Method, args: Array<out Any?>?): Any? = when {
            method.name == "health" && method.parameterCount == 0 -> health(check.health())
            method.isDefault -> InvocationHandler.invokeDefault(proxy, method, *(args ?: emptyArray()))
            method.name == "toString" -> "DataverseHealthIndicator (Spring Boot 3)"
            method.name == "hashCode" -> System.identityHashCode(proxy)
            method.name == "equals" -> proxy === args?.get(0)
            else -> throw UnsupportedOperationException(method.toString())
        }
    }

    companion object {
        const val INDICATOR = "org.springframework.boot.actuate.health.HealthIndicator"
        const val STATUS = "org.springframework.boot.actuate.health.Status"
        const val BUILDER = "org.springframework.boot.actuate.health.Health\$Builder"
        const val BEAN_NAME = "dataverseHealthIndicator"
    }
}

/**
 * Registers the Boot 3 indicator as `dataverseHealthIndicator`, with Boot 3's `HealthIndicator` as its declared type so
 * that Boot's health registry finds it by type before it is created; skipped when the application defines a bean of
 * that name.
 */
internal class Boot3HealthRegistrar : ImportBeanDefinitionRegistrar, BeanClassLoaderAware {
    private var loader: ClassLoader? = null

    override fun setBeanClassLoader(classLoader: ClassLoader) {
        loader = classLoader
    }

    override fun registerBeanDefinitions(metadata: AnnotationMetadata, registry: BeanDefinitionRegistry) {
        if (registry.containsBeanDefinition(Boot3Health.BEAN_NAME)) return
        val beans = registry as BeanFactory
        val boot3 = Boot3Health(loader)
        @Suppress("UNCHECKED_CAST")
        val type = ClassUtils.forName(Boot3Health.INDICATOR, loader) as Class<Any>
        val definition = RootBeanDefinition(type) { boot3.indicator(HealthChecks.create(beans)) }
        registry.registerBeanDefinition(Boot3Health.BEAN_NAME, definition)
    }
}

/** The health check of the context's client, configured from its properties, for either Boot's indicator. */
internal object HealthChecks {
    fun create(beans: BeanFactory): DataverseHealthCheck {
        val properties = beans.getBean(DataverseProperties::class.java)
        val connection = beans.getBeanProvider(DataverseConnectionDetails::class.java).getIfAvailable()
        // The tokens the health response must never show; the emulator's fixed token is no secret.
        val secrets = Secrets.values(properties) + listOfNotNull(connection?.token?.takeIf { it != ContextClasses.EMULATOR_TOKEN })
        return DataverseHealthCheck(beans.getBean(DataverseClient::class.java), properties.health.timeout, properties.health.cacheTtl, secrets = secrets)
    }
}
