package dev.dataverse.spring.internal

import org.springframework.beans.factory.ListableBeanFactory
import org.springframework.beans.factory.config.ConfigurableBeanFactory
import org.springframework.util.ClassUtils

/** What is on the context's classpath, asked of the context's class loader (which tests filter), not of ours. */
internal object ContextClasses {
    const val METER_REGISTRY = "io.micrometer.core.instrument.MeterRegistry"

    /** Any token does for the emulator, which requires none unless configured to. */
    const val EMULATOR_TOKEN = "emulator"

    fun loader(beans: ListableBeanFactory): ClassLoader? = (beans as? ConfigurableBeanFactory)?.beanClassLoader

    /** Whether [className] is on the context's classpath and the context defines a bean of it. */
    fun hasBean(beans: ListableBeanFactory, className: String): Boolean {
        val loader = loader(beans)
        return ClassUtils.isPresent(className, loader) && beans.getBeanNamesForType(ClassUtils.forName(className, loader)).isNotEmpty()
    }
}
