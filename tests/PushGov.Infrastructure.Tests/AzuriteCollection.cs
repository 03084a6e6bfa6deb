using PushGov.Testing;

namespace PushGov.Infrastructure.Tests;

[CollectionDefinition("Azurite")]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>;
