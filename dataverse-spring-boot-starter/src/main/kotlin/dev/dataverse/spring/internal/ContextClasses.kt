package dev.dataverse.spring.internal

import org.springframework.beans.factory.ListableBeanFactory
import org.springframework.beans.factory.config.ConfigurableBeanFactory
import org.springframework.util.ClassUtils

/** What is on the context's classpath, asked of the context's class loader (which tests filter), not of ours. */
internal object ContextClasses {
    const val METER_REGISTRY = "io.micrometer.core.instrument.MeterRegistry"
    const val OBSERVATION_REGISTRY = "io.micrometer.observation.ObservationRegistry"
    const val TRACER = "io.micrometer.tracing.Tracer"

    /** The handler Spring Boot defines to time observations with meters (Boot 3.5 and 4). */
    const val METER_OBSERVATION_HANDLER = "io.micrometer.core.instrument.observation.MeterObservationHandler"

    /** Any token does for the emulator, which requires none unless configured to. */
    const val EMULATOR_TOKEN = "emulator"

    fun loader(beans: ListableBeanFactory): ClassLoader? = (beans as? ConfigurableBeanFactory)?.beanClassLoader

    /** Whether [className] is on the context's classpath and the context defines a bean of it. */
    fun hasBean(beans: ListableBeanFactory, className: String): Boolean {
        val loader = loader(beans)
        return ClassUtils.isPresent(className, loader) && beans.getBeanNamesForType(ClassUtils.forName(className, loader)).isNotEmpty()
    }

    /**
     * Whether Spring Boot's tracing bridge is active: a Micrometer Tracing `Tracer` bean other than `Tracer.NOOP` (which
     * Boot 4 defines when micrometer-tracing is present without a bridge). Spans then come from observations.
     */
    fun hasTracingBridge(beans: ListableBeanFactory): Boolean {
        val loader = loader(beans)
        if (!ClassUtils.isPresent(TRACER, loader)) return false
        val type = ClassUtils.forName(TRACER, loader)
        val tracer = beans.getBeanProvider(type).getIfUnique() ?: return false
        val noop = runCatching { type.getField("NOOP").get(null) }.getOrNull()
        return tracer !== noop
    }
}
