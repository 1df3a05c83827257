FROM redis:7.2.5-bookworm
COPY docker-entrypoint.d/ /docker-entrypoint.d/
USER 999
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["redis-server", "--appendonly", "yes"]
